package store

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele/clientele/lead"
)

func TestSuppression(t *testing.T) {
	db, clk := openTest(t)
	for _, v := range []string{"Bad@Example.org", "@Example.COM", "@shop.test"} {
		if err := db.Suppress(v, "manual"); err != nil {
			t.Fatal(err)
		}
	}
	first := clk.Now()
	clk.Add(time.Hour)
	if err := db.Suppress("bad@example.org", "bounce"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		email string
		want  bool
	}{
		{"bad@example.org", true},
		{"BAD@EXAMPLE.ORG", true},
		{"good@example.org", false},
		{"anyone@example.com", true},
		{"a@mail.example.com", true},
		{"a@deep.mail.example.com", true},
		{"a@notexample.com", false},
		{"a@example.com.evil.test", false},
		{"a@shop.test", true},
		{"a@test", false},
	}
	for _, tc := range tests {
		t.Run(tc.email, func(t *testing.T) {
			got, err := db.IsSuppressed(tc.email)
			if err != nil || got != tc.want {
				t.Errorf("IsSuppressed = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	list, err := db.Suppressions()
	if err != nil {
		t.Fatal(err)
	}
	want := []lead.Suppression{
		{Value: "@example.com", Reason: "manual", Time: first},
		{Value: "@shop.test", Reason: "manual", Time: first},
		{Value: "bad@example.org", Reason: "manual", Time: first},
	}
	if len(list) != len(want) {
		t.Fatalf("Suppressions = %v", list)
	}
	for i := range want {
		if list[i].Value != want[i].Value || list[i].Reason != want[i].Reason || !list[i].Time.Equal(want[i].Time) {
			t.Errorf("entry %d = %+v, want %+v (first reason and time kept)", i, list[i], want[i])
		}
	}
	if ok, err := db.Unsuppress("@EXAMPLE.com"); !ok || err != nil {
		t.Errorf("Unsuppress = %v, %v", ok, err)
	}
	if ok, err := db.Unsuppress("@example.com"); ok || err != nil {
		t.Errorf("second Unsuppress = %v, %v; want false", ok, err)
	}
	if got, _ := db.IsSuppressed("a@mail.example.com"); got {
		t.Error("still suppressed after Unsuppress")
	}
	for _, bad := range []string{"", "nobody", "@", "@localhost"} {
		if err := db.Suppress(bad, "manual"); !errors.Is(err, ErrInvalid) {
			t.Errorf("Suppress(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := db.IsSuppressed("nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("IsSuppressed(nope) err = %v", err)
	}
}
