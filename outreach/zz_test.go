package outreach

import "testing"

func TestZZ(t *testing.T) {
	clk := newClock(monday10)
	srv := newSMTPServer(t)
	db, _ := newDB(t, clk)
	e := newEngine(testConfig(t, srv.port), db, clk)
	addLeads(t, db, 40, nil)
	srv.set(func(s *smtpServer) {
		s.rcpt["b3@biz3.example"] = noUser
		s.rcpt["b7@biz7.example"] = noUser
	})
	sum, _ := send(t, e, false)
	t.Logf("%+v", sum)
	e.ResumeCampaign("plumbers")
	sum, _ = send(t, e, false)
	t.Logf("%+v", sum)
	b, _, _ := db.Cursor("outreach/enrol/plumbers/new")
	t.Logf("%s", b)
	b, _, _ = db.Cursor("outreach/campaign/plumbers")
	t.Logf("%s", b)
}
