package lead

import "testing"

func TestWebsiteKey(t *testing.T) {
	for _, tc := range []struct{ name, url, want string }{
		{"own site", "https://www.shop.example.co.uk/contact", "example.co.uk"},
		{"no scheme", "acme-plumbing.example/", "acme-plumbing.example"},
		{"maps", "https://maps.google.de/maps?daddr=Hauptstr.+1", ""},
		{"google maps path", "https://www.google.com/maps/dir/?api=1&destination=x", ""},
		{"maps short link", "https://goo.gl/maps/abc123", ""},
		{"maps app link", "https://maps.app.goo.gl/xyz", ""},
		{"apple maps", "https://maps.apple.com/?q=Acme", ""},
		{"bing maps", "https://www.bing.com/maps?where=Berlin", ""},
		{"openstreetmap", "https://www.openstreetmap.org/#map=18/52.5/13.4", ""},
		{"waze", "https://waze.com/ul?ll=1,2", ""},
		{"here maps", "https://wego.here.com/directions/drive", ""},
		{"facebook", "https://de-de.facebook.com/acmeplumbing", ""},
		{"instagram", "https://instagram.com/acme", ""},
		{"x", "https://x.com/acme", ""},
		{"whatsapp", "https://wa.me/491701234567", ""},
		{"review site", "https://www.tripadvisor.co.uk/Restaurant_Review-g1", ""},
		{"booking site", "https://www.treatwell.de/ort/acme/", ""},
		{"shortener", "https://bit.ly/3abc", ""},
		{"marketplace", "https://www.etsy.com/shop/acme", ""},
		{"google site", "https://sites.google.com/view/acme-plumbing/home", "sites.google.com/view/acme-plumbing"},
		{"bare google sites", "https://sites.google.com/", ""},
		{"wix path site", "https://ana.wixsite.com/plumbing/contact", "ana.wixsite.com/plumbing"},
		{"wix account host", "https://ana.wixsite.com/", ""},
		{"link in bio", "https://linktr.ee/AcmePlumbing", "linktr.ee/acmeplumbing"},
		{"bare link in bio", "https://linktr.ee", ""},
		{"business.site", "https://acme-plumbing.business.site/", "acme-plumbing.business.site"},
		{"bare business.site", "https://business.site/", ""},
		{"wordpress.com blog", "https://www.acmeplumbing.wordpress.com/about", "acmeplumbing.wordpress.com"},
		{"psl private suffix", "https://acme.blogspot.com/", "acme.blogspot.com"},
		{"ip and port", "http://127.0.0.1:8081/", "ip:127.0.0.1:8081"},
		{"not a url", "javascript:alert(1)", ""},
		{"mailto", "mailto:a@b.example", ""},
		{"empty", "", ""},
		{"single label", "http://localhost/", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := WebsiteKey(tc.url); got != tc.want {
				t.Errorf("WebsiteKey(%q) = %q, want %q", tc.url, got, tc.want)
			}
			if got := SharedHost(tc.url); got != (tc.want == "") {
				t.Errorf("SharedHost(%q) = %v", tc.url, got)
			}
		})
	}
}

func TestOwnWebsiteKeyIgnoresTheDirectory(t *testing.T) {
	const dir = "https://www.dir.example/c/plumbing?page=2"
	if k := OwnWebsiteKey("https://dir.example/biz/acme-plumbing", dir); k != "" {
		t.Errorf("a directory page is the lead's website key %q", k)
	}
	if k := OwnWebsiteKey("https://cdn.dir.example/acme", dir); k != "" {
		t.Errorf("a directory subdomain is the lead's website key %q", k)
	}
	if k := OwnWebsiteKey("https://acme.example/", dir); k != "acme.example" {
		t.Errorf("own site key %q", k)
	}
	if k := OwnWebsiteKey("https://acme.example/", ""); k != "acme.example" {
		t.Errorf("no directory: key %q", k)
	}
	if k := OwnWebsiteKey("http://127.0.0.1:8082/", "http://127.0.0.1:8081/list"); k != "ip:127.0.0.1:8082" {
		t.Errorf("a site on another port of the directory's address: key %q", k)
	}
	if k := OwnWebsiteKey("http://127.0.0.1:8081/biz/1", "http://127.0.0.1:8081/list"); k != "" {
		t.Errorf("the directory's own address: key %q", k)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"Acme Plumbing":                "Acme Plumbing",
		"  Acme\x00 Plumbing\x1b[2J ":  "Acme Plumbing[2J",
		"Rua Augusta 1\r\n1100 Lisboa": "Rua Augusta 1  1100 Lisboa",
		"Tab\there":                    "Tab here",
		"\ufeffBOM":                    "BOM",
		"evil\u202egnp.exe":            "evilgnp.exe",
		"zero\u200bwidth":              "zerowidth",
		"C1\u0085next\u009b":           "C1 next",
		"João Müller 👩‍🔧":              "João Müller 👩‍🔧",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
