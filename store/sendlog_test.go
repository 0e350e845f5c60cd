package store

import (
	"testing"
	"time"
)

func TestSendCounts(t *testing.T) {
	db, _ := openTest(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if err := db.RecordSend("ana", at.Add(time.Duration(i)*time.Minute), "m"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	db.RecordSend("bo", at, "x")
	got, err := db.SendCounts()
	if err != nil {
		t.Fatal(err)
	}
	if got["ana"] != 3 || got["bo"] != 1 || len(got) != 2 {
		t.Errorf("SendCounts = %v", got)
	}
}
