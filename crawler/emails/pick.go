package emails

import (
	"github.com/clientele/clientele/lead"
)

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
		case lead.IsFreeMail(a):
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
