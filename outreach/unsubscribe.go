package outreach

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/clientele/clientele/lead"
)

// ErrBadToken means an unsubscribe link was not signed by us for that lead: forged,
// truncated, or for another lead. It wraps lead.ErrBadLink, which the HTTP server answers
// with "not a valid link".
var ErrBadToken = fmt.Errorf("outreach: %w", lead.ErrBadLink)

// tokenBytes is how much of the HMAC goes into a link: 144 bits, far beyond guessing.
const tokenBytes = 18

// Token signs a lead and the address a sequence writes to with the unsubscribe secret.
// Links built from it cannot be forged or enumerated without the secret.
func Token(secret string, id lead.ID, email string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("clientele-unsubscribe\x00"))
	mac.Write([]byte(strconv.FormatUint(uint64(id), 10)))
	mac.Write([]byte{0})
	mac.Write([]byte(lead.NormalizeEmail(email)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:tokenBytes])
}

// UnsubscribeURL is the one-click link of a lead: <public_url>/u/<lead id>/<token>.
func UnsubscribeURL(publicURL, secret string, id lead.ID, email string) string {
	return strings.TrimRight(publicURL, "/") + "/u/" + strconv.FormatUint(uint64(id), 10) + "/" + Token(secret, id, email)
}

// VerifyToken reports whether token was issued for this lead and address. The comparison
// takes the same time wherever the first difference is.
func VerifyToken(secret string, id lead.ID, email, token string) bool {
	if secret == "" || token == "" {
		return false
	}
	want := Token(secret, id, email)
	return hmac.Equal([]byte(want), []byte(token))
}
