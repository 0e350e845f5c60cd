package emails

import (
	"strings"

	"github.com/clientele/clientele/lead"
)

// freeMail are registrable names of public mailbox providers: an address there may be the
// owner's own, but it says nothing about the business's domain.
var freeMail = map[string]bool{
	"gmail": true, "googlemail": true, "yahoo": true, "ymail": true, "hotmail": true,
	"outlook": true, "live": true, "msn": true, "aol": true, "icloud": true, "me": true,
	"mac": true, "gmx": true, "web": true, "t-online": true, "mail": true, "yandex": true,
	"proton": true, "protonmail": true, "zoho": true, "orange": true, "free": true,
	"laposte": true, "libero": true, "virgilio": true, "tiscali": true, "sapo": true,
	"terra": true, "uol": true, "bol": true, "seznam": true, "wp": true, "o2": true,
	"interia": true, "onet": true, "btinternet": true, "sky": true, "virginmedia": true,
	"bigpond": true, "rediffmail": true, "qq": true, "163": true, "126": true, "naver": true,
	"hanmail": true, "freenet": true, "arcor": true, "wanadoo": true, "sfr": true,
	"telenet": true, "skynet": true, "bluewin": true, "hushmail": true, "fastmail": true,
	"comcast": true, "verizon": true, "att": true, "sbcglobal": true, "shaw": true, "rogers": true,
}

// IsFreeMail reports whether an address is at a public mailbox provider.
func IsFreeMail(addr string) bool {
	reg := lead.RegistrableDomain(lead.EmailDomain(addr))
	if i := strings.IndexByte(reg, '.'); i > 0 {
		return freeMail[reg[:i]]
	}
	return false
}

// Pick chooses the address a lead is written to: a personal address on the business's own
// domain, else a role address on it, else a free-mail address. siteDomain is the
// registrable domain of the business's website ("" when it has none; then any personal
// address, else any role address, is taken). It returns "" when nothing qualifies.
func Pick(addrs []string, siteDomain string) (primary string, role bool) {
	var ownRole, free, otherPersonal, otherRole string
	for _, a := range addrs {
		d := lead.RegistrableDomain(lead.EmailDomain(a))
		isRole := lead.IsRoleAddress(a)
		switch {
		case siteDomain != "" && d == siteDomain:
			if !isRole {
				return a, false
			}
			if ownRole == "" {
				ownRole = a
			}
		case IsFreeMail(a):
			if free == "" {
				free = a
			}
		case isRole:
			if otherRole == "" {
				otherRole = a
			}
		default:
			if otherPersonal == "" {
				otherPersonal = a
			}
		}
	}
	switch {
	case ownRole != "":
		return ownRole, true
	case free != "":
		return free, lead.IsRoleAddress(free)
	case siteDomain == "" && otherPersonal != "":
		return otherPersonal, false
	case siteDomain == "" && otherRole != "":
		return otherRole, true
	}
	return "", false
}
