package lead

import "testing"

func TestIsFreeMail(t *testing.T) {
	for in, want := range map[string]bool{
		"ana@gmail.com": true, "ana@yahoo.co.uk": true, "gmx.de": true, "x@pm.me": true,
		"x@mail.ru": true, "Ana@GMAIL.COM": true, "ana@example.com": false, "example.co.uk": false,
		"": false, "not an address": false, "info@bakerij.nl": false,
		"bob@yahoo.co.uk": true, "web.de": true, "x@gmailer.example": false,
	} {
		if got := IsFreeMail(in); got != want {
			t.Errorf("IsFreeMail(%q) = %v; want %v", in, got, want)
		}
	}
}
