package replies

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/clientele/clientele/lead"
)

// sesNotification is the JSON Amazon SES publishes (often wrapped in an SNS envelope) for
// bounces, complaints and deliveries of mail sent through it.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
	Mail *struct {
		MessageID     string `json:"messageId"`
		CommonHeaders *struct {
			MessageID string `json:"messageId"`
		} `json:"commonHeaders"`
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
	} `json:"mail"`
}

// classifySES reads an Amazon SES notification carried as JSON in the body.
func classifySES(r *Result, text string) bool {
	if !strings.Contains(text, `"notificationType"`) && !strings.Contains(text, `"eventType"`) {
		return false
	}
	start := strings.IndexByte(text, '{')
	end := strings.LastIndexByte(text, '}')
	if start < 0 || end <= start {
		return false
	}
	var n sesNotification
	if err := json.Unmarshal([]byte(text[start:end+1]), &n); err != nil {
		// Mail gateways wrap long JSON lines; read the few fields we need directly.
		return classifySESFields(r, text)
	}
	if n.NotificationType == "" && n.EventType == "" {
		// An SNS envelope: the notification is a JSON string in "Message".
		var env struct {
			Message string `json:"Message"`
		}
		if json.Unmarshal([]byte(text[start:end+1]), &env) != nil || json.Unmarshal([]byte(env.Message), &n) != nil {
			return classifySESFields(r, text)
		}
	}
	typ := strings.ToLower(n.NotificationType + n.EventType)
	switch typ {
	case "bounce":
		r.Kind = lead.KindBounce
		if n.Bounce != nil {
			r.Hard = strings.EqualFold(n.Bounce.BounceType, "Permanent")
			for _, b := range n.Bounce.BouncedRecipients {
				if a := firstAddress(b.EmailAddress); a != "" {
					r.Recipients = append(r.Recipients, a)
				}
				if r.Status == "" {
					r.Status = statusIn(" " + b.Status)
					if r.Status == "" {
						r.Status = statusIn(b.DiagnosticCode)
					}
				}
			}
			if r.Status != "" {
				r.Hard = r.Status[0] == '5'
			}
		}
	case "complaint":
		r.Kind = lead.KindComplaint
		if n.Complaint != nil {
			for _, c := range n.Complaint.ComplainedRecipients {
				if a := firstAddress(c.EmailAddress); a != "" {
					r.OriginalTo = append(r.OriginalTo, a)
					r.Complainants = append(r.Complainants, a)
				}
			}
		}
	case "delivery":
		r.Kind = lead.KindDelivered
	default:
		return false
	}
	if n.Mail != nil {
		for _, h := range n.Mail.Headers {
			if strings.EqualFold(h.Name, "Message-ID") {
				if id := firstMsgID(h.Value); id != "" {
					r.Refs = append([]string{id}, r.Refs...)
				}
			}
		}
		if n.Mail.CommonHeaders != nil {
			if id := firstMsgID(n.Mail.CommonHeaders.MessageID); id != "" {
				r.Refs = append([]string{id}, r.Refs...)
			}
		}
	}
	return true
}

var (
	sesTypeRe   = regexp.MustCompile(`"(?:notificationType|eventType)"\s*:\s*"(\w+)"`)
	sesBounceRe = regexp.MustCompile(`"bounceType"\s*:\s*"(\w+)"`)
	sesRcptRe   = regexp.MustCompile(`"emailAddress"\s*:\s*"([^"]+)"`)
	sesStatusRe = regexp.MustCompile(`"status"\s*:\s*"([^"]+)"`)
)

// classifySESFields reads an SES notification whose JSON does not parse (wrapped lines).
func classifySESFields(r *Result, text string) bool {
	m := sesTypeRe.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	var rcpts []string
	for _, a := range sesRcptRe.FindAllStringSubmatch(text, 20) {
		if e := firstAddress(a[1]); e != "" {
			rcpts = append(rcpts, e)
		}
	}
	switch strings.ToLower(m[1]) {
	case "bounce":
		r.Kind = lead.KindBounce
		r.Recipients = rcpts
		if b := sesBounceRe.FindStringSubmatch(text); b != nil {
			r.Hard = strings.EqualFold(b[1], "Permanent")
		}
		if s := sesStatusRe.FindStringSubmatch(text); s != nil {
			if r.Status = statusIn(" " + s[1]); r.Status != "" {
				r.Hard = r.Status[0] == '5'
			}
		}
	case "complaint":
		r.Kind = lead.KindComplaint
		r.OriginalTo = rcpts
		r.Complainants = rcpts
	case "delivery":
		r.Kind = lead.KindDelivered
	default:
		return false
	}
	return true
}
