package config

import (
	"strings"
)

// expand replaces each ${NAME} in a scalar value with getenv(NAME). "$${" writes a literal
// "${"; a "$" not followed by "{" is kept as it is, so passwords with dollars need no
// escaping. An empty or unset variable is an error naming it, because a blank password or
// key is never what the user meant. Messages never quote the value itself: it may be a
// secret.
func expand(s string, getenv func(string) string) (string, []string) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	var problems []string
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				problems = append(problems, `has a "${" without its closing "}"; write $${ for a literal ${`)
				return s, problems
			}
			name := s[i+2 : i+2+end]
			i += 2 + end + 1
			if !validEnvName(name) {
				problems = append(problems, `has a ${...} whose variable name is not made of letters, digits and _; write $${ for a literal ${`)
				continue
			}
			v := getenv(name)
			if v == "" {
				problems = append(problems, "uses ${"+name+"} but the environment variable "+name+" is not set")
				continue
			}
			b.WriteString(v)
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), problems
}

// validEnvName reports whether name can be an environment variable in a shell.
func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
