package country

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// nationalHolidays are the nationwide public holidays of each country rickar/cal
// maintains (regional ones, such as a German state's, are left out: a lead's region is
// rarely known, and a nationwide day off is what empties an inbox).
var nationalHolidays = map[string][]*cal.Holiday{
	"AR": ar.Holidays, "AT": at.Holidays, "AU": inEvery(au.HolidaysACT, au.HolidaysNSW, au.HolidaysNT, au.HolidaysQLD, au.HolidaysSA, au.HolidaysTAS, au.HolidaysVIC, au.HolidaysWA), "BE": be.Holidays, "BG": bg.Holidays,
	"BR": br.Holidays, "CA": ca.Holidays, "CH": ch.Holidays, "CZ": cz.Holidays, "DE": de.Holidays,
	"DK": dk.Holidays, "ES": es.Holidays, "FR": fr.Holidays, "GB": gb.Holidays, "GR": gr.Holidays,
	"HR": hr.Holidays, "IE": ie.Holidays, "IT": it.Holidays, "JP": jp.Holidays, "LT": lt.Holidays,
	"LV": lv.Holidays, "MW": mw.Holidays, "NL": nl.Holidays, "NO": no.Holidays, "NZ": nz.Holidays,
	"PL": pl.Holidays, "RO": ro.Holidays, "RU": ru.Holidays, "SE": se.Holidays, "SI": si.Holidays,
	"SK": sk.Holidays, "UA": ua.Holidays, "US": us.Holidays, "ZA": za.Holidays,
	"PT": portugal,
}

// portugal lists Portugal's national public holidays (Código do Trabalho, art. 234),
// which rickar/cal does not carry, built from its shared rules.
var portugal = []*cal.Holiday{
	aa.NewYear.Clone(&cal.Holiday{Name: "Ano Novo", Type: cal.ObservancePublic}),
	aa.GoodFriday.Clone(&cal.Holiday{Name: "Sexta-feira Santa", Type: cal.ObservancePublic}),
	aa.Easter.Clone(&cal.Holiday{Name: "Páscoa", Type: cal.ObservancePublic}),
	fixed("Dia da Liberdade", time.April, 25),
	aa.WorkersDay.Clone(&cal.Holiday{Name: "Dia do Trabalhador", Type: cal.ObservancePublic}),
	aa.CorpusChristi.Clone(&cal.Holiday{Name: "Corpo de Deus", Type: cal.ObservancePublic}),
	fixed("Dia de Portugal", time.June, 10),
	aa.AssumptionOfMary.Clone(&cal.Holiday{Name: "Assunção de Nossa Senhora", Type: cal.ObservancePublic}),
	fixed("Implantação da República", time.October, 5),
	aa.AllSaintsDay.Clone(&cal.Holiday{Name: "Dia de Todos-os-Santos", Type: cal.ObservancePublic}),
	fixed("Restauração da Independência", time.December, 1),
	aa.ImmaculateConception.Clone(&cal.Holiday{Name: "Imaculada Conceição", Type: cal.ObservancePublic}),
	aa.ChristmasDay.Clone(&cal.Holiday{Name: "Natal", Type: cal.ObservancePublic}),
}

// inEvery keeps the holidays every region's list holds: a country's national days where
// rickar/cal lists only its regions'.
func inEvery(lists ...[]*cal.Holiday) []*cal.Holiday {
	var out []*cal.Holiday
	for _, h := range lists[0] {
		all := true
		for _, l := range lists[1:] {
			all = all && slices.Contains(l, h)
		}
		if all {
			out = append(out, h)
		}
	}
	return out
}

func fixed(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
}

var (
	calMu     sync.Mutex
	calendars = map[string]*cal.Calendar{}
)

// HolidayCountries lists the countries whose public holidays are known, sorted.
func HolidayCountries() []string {
	out := make([]string, 0, len(nationalHolidays))
	for c := range nationalHolidays {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// HasHolidays reports whether the public holidays of country code are known.
func HasHolidays(code string) bool {
	_, ok := nationalHolidays[strings.ToUpper(code)]
	return ok
}

// Holiday reports whether the calendar day of t (in t's own location) is a public holiday
// in country code, observed or actual, and its name.
func Holiday(code string, t time.Time) (string, bool) {
	code = strings.ToUpper(code)
	hs, ok := nationalHolidays[code]
	if !ok {
		return "", false
	}
	// cal.Calendar caches per year and is not safe for concurrent use.
	calMu.Lock()
	defer calMu.Unlock()
	c := calendars[code]
	if c == nil {
		c = &cal.Calendar{}
		c.AddHoliday(hs...)
		calendars[code] = c
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
	actual, observed, h := c.IsHoliday(day)
	if (actual || observed) && h != nil {
		return h.Name, true
	}
	return "", false
}
