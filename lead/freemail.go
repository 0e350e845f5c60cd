package lead

import "strings"

// freeMailNames are the registrable names of public mailbox providers, whatever their
// country's suffix (gmail.com, yahoo.co.uk, gmx.de, orange.fr …).
var freeMailNames = map[string]bool{
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
	"tutanota": true, "tuta": true, "kpnmail": true, "ziggo": true, "luukku": true,
}

// freeMailDomains are providers whose name alone would say too little (pm.me, mail.ru).
var freeMailDomains = map[string]bool{"pm.me": true, "mail.ru": true, "inbox.ru": true, "bk.ru": true, "list.ru": true}

// IsFreeMail reports whether an address, or a domain, is at a public mailbox provider,
// where every address is a different person and none says which business it belongs to.
func IsFreeMail(addrOrDomain string) bool {
	d := addrOrDomain
	if strings.Contains(d, "@") {
		d = EmailDomain(d)
	}
	reg := RegistrableDomain(strings.ToLower(strings.TrimSpace(d)))
	if freeMailDomains[reg] {
		return true
	}
	if i := strings.IndexByte(reg, '.'); i > 0 {
		return freeMailNames[reg[:i]]
	}
	return false
}
