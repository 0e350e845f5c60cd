package crawler

import (
	"net/url"
	"testing"
)

func TestWithoutSession(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"query sid", "https://d.example/list?page=2&sid=ab12", "https://d.example/list?page=2"},
		{"only session", "https://d.example/konto?PHPSESSID=x", "https://d.example/konto"},
		{"jsessionid path", "https://d.example/list;jsessionid=ABC?page=3", "https://d.example/list?page=3"},
		{"nothing to drop", "https://d.example/list?page=2&q=bakery", "https://d.example/list?page=2&q=bakery"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := withoutSession(u); got != tc.want {
				t.Errorf("withoutSession(%s) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}
