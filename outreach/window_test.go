package outreach

import (
	"testing"
	"time"
)

func TestDayBoundsAcrossDST(t *testing.T) {
	lis, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	start, end := dayBounds(time.Date(2026, 3, 29, 12, 0, 0, 0, lis), lis)
	if d := end.Sub(start); d != 23*time.Hour {
		t.Fatalf("the spring-forward day lasts %s", d)
	}
	start, end = dayBounds(time.Date(2026, 10, 25, 12, 0, 0, 0, lis), lis)
	if d := end.Sub(start); d != 25*time.Hour {
		t.Fatalf("the fall-back day lasts %s", d)
	}
}
