package replies

import (
	"slices"
	"strings"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{`^(?:please )?(?:unsubscribe|unsub) me$`, []string{"unsub"}},
		{wb + `(?:stop|quit) (?:e-?mailing|sending) me` + we, []string{"e-mailing", "emailing", "sending"}},
		{`(?:i|we) (?:do not|don't) want`, []string{" want"}},
		{`\S+ me`, []string{" me"}},
		{`x\S*`, nil}, // no literal of two bytes or more is certain
	}
	for _, tc := range tests {
		got := requiredLiterals(tc.pattern)
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

// TestPhraseKeysSound: a clause any pattern matches holds one of that pattern's keys, so
// skipping the clauses without one never loses a match. Checked over every clause of the
// hand-made messages, both ways.
func TestPhraseKeysSound(t *testing.T) {
	texts := []string{
		"Please remove me from your list. Unsubscribe me. Take us off the mailing list. Stop emailing me.",
		"I would like to be removed from your mailing list. I don't want to receive any more emails from you.",
		"How do I unsubscribe? Could you stop sending these emails? Leave me alone. I want off your list.",
		"Bitte entfernen Sie mich aus Ihrem Verteiler. Ich möchte mich abmelden. Schreiben Sie mir bitte nicht mehr.",
		"Merci de me désinscrire de votre liste. Ne m'envoyez plus de messages. Je ne souhaite plus recevoir vos e-mails.",
		"Por favor, darme de baja de su lista. No me envíen más correos. Dejen de escribirme.",
		"Descadastre-me, por favor. Não quero mais receber essas mensagens. Parem de me enviar e-mails.",
		"Vi prego di cancellarmi dalla vostra lista. Non voglio più ricevere queste email. Non scrivetemi più.",
		"Graag uitschrijven, ik wil geen e-mails meer. Verwijder mij van jullie lijst. Meld mij af.",
		"Ta bort mig. Fjern mig. Meld meg av. Wypisz mnie. Nie chcę otrzymywać.",
		"Not interested, please remove. Nein danke, abmelden. Non merci, désinscription. No gracias, baja.",
		"Hi Ana, thanks for the email. Our site keeps showing the unsubscribe page of our newsletter.",
	}
	tables := map[string]*phraseTable{"removal": removalPhrases, "bare": bareCommand, "refusal": refusal, "courtesy": courtesy}
	matched := 0
	for _, text := range texts {
		for _, c := range clauses(text) {
			for name, tb := range tables {
				for i, p := range tb.list {
					if p.re.MatchString(c) {
						matched++
						if p.keys != nil && !containsAny(c, p.keys) {
							t.Errorf("%s phrase %d matches %q, which holds none of its keys %q", name, i, c, p.keys)
						}
					}
				}
			}
		}
	}
	if matched < len(texts)*2 {
		t.Errorf("only %d clause matches: the texts no longer exercise the tables", matched)
	}
}

func TestClauses(t *testing.T) {
	got := strings.Join(clauses("Hi Ana,\n\nNot interested -- please REMOVE me!  Unsubscribe: https://x.example/u/1\n“Stop” (now)…"), " | ")
	want := "hi ana | not interested | please remove me | unsubscribe: url | stop | now"
	if got != want {
		t.Errorf("clauses = %q\nwant      %q", got, want)
	}
}
