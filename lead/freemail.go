package lead

import "strings"

// freeMail are the first labels of the registrable domains of public mailbox providers
// (under any country code: "yahoo" covers yahoo.com, yahoo.co.uk, yahoo.fr ...). Two
// addresses there say nothing about being one business.
var freeMail = map[string]bool{
	"gmail": true, "googlemail": true, "yahoo": true, "ymail": true, "hotmail": true,
	"outlook": true, "live": true, "msn": true, "aol": true, "icloud": true, "me": true,
	"mac": true, "gmx": true, "web": true, "t-online": true, "mail": true, "yandex": true,
	"proton": true, "protonmail": true, "pm": true, "tutanota": true, "tuta": true,
	"zoho": true, "orange": true, "free": true,
	"laposte": true, "libero": true, "virgilio": true, "tiscali": true, "sapo": true,
	"terra": true, "uol": true, "bol": true, "seznam": true, "wp": true, "o2": true,
	"interia": true, "onet": true, "btinternet": true, "sky": true, "virginmedia": true,
	"bigpond": true, "rediffmail": true, "qq": true, "163": true, "126": true, "naver": true,
	"hanmail": true, "freenet": true, "arcor": true, "wanadoo": true, "sfr": true,
	"telenet": true, "skynet": true, "bluewin": true, "hushmail": true, "fastmail": true,
	"comcast": true, "verizon": true, "att": true, "sbcglobal": true, "shaw": true, "rogers": true,
}

// IsFreeMail reports whether an address (or a bare domain) is at a public mailbox
// provider, where every address may be a different, unrelated person.
func IsFreeMail(addrOrDomain string) bool {
	d := addrOrDomain
	if strings.Contains(d, "@") {
		d = EmailDomain(d)
	}
	reg := RegistrableDomain(d)
	if i := strings.IndexByte(reg, '.'); i > 0 {
		return freeMail[reg[:i]]
	}
	return false
}
