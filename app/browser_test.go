package app

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/clientele/clientele/lead"
)

var keepScreenshots = flag.String("keep-screenshots", "", "write the browser test's screenshots to this directory (default: the test's temp dir)")

// chromiumPath finds the browser the end-to-end tests drive; "" when there is none.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts headless Chromium with a fresh profile and no background traffic
// (without those flags it waits on the network that tests do not have).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no Chromium on this machine: install Debian's chromium package (CI does) to run the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser, under a context without a timeout (a timeout there
	// would end the browser); the test's steps run under one.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Skipf("Chromium at %s does not start here: %v", path, err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	return tctx
}

func TestBrowserMainFlows(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	f := newDashFixture(t, "browser-token")
	f.t = t
	ctx := newBrowser(t)
	shots := *keepScreenshots
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		// Read by script rather than by node id: a page that just loaded may renumber nodes.
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {innerText: ""}).innerText`))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	eval := func(expr string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	screenshot := func(name string) {
		t.Helper()
		for _, w := range []struct {
			label  string
			width  int64
			mobile bool
		}{{"phone", 360, true}, {"desktop", 1280, false}} {
			var vopts []chromedp.EmulateViewportOption
			if w.mobile {
				vopts = append(vopts, chromedp.EmulateMobile, chromedp.EmulateScale(2))
			}
			run("viewport", chromedp.EmulateViewport(w.width, 800, vopts...))
			if eval(`document.documentElement.scrollWidth > window.innerWidth + 1`) {
				t.Errorf("%s is wider than a %d px screen", name, w.width)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s: %v", name, err)
			}
			if err := os.WriteFile(filepath.Join(shots, name+"-"+w.label+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		run("desktop again", chromedp.EmulateViewport(1280, 900))
	}

	// Log in with the token.
	run("login", chromedp.Navigate(f.srv.URL+"/leads"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=token]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=token]`), "browser-token"),
		chromedp.Submit(chromedp.CSS(`input[name=token]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.filters`)))
	screenshot("leads")

	// A lead named like a script tag is shown as text.
	if got := text(`table`); !strings.Contains(got, `<script>alert("x")</script> Plumbing`) {
		t.Errorf("the script-named lead is not shown as text: %q", got)
	}
	if eval(`document.querySelectorAll("script").length > 0`) {
		t.Error("the page has a script element")
	}

	// Find a lead and open it.
	run("search", chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "canaliz"),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)),
		// The list before the search shows the lead too: wait for the results page.
		chromedp.WaitVisible(chromedp.CSS(`input[name=q][value="canaliz"]`)),
		chromedp.Click(chromedp.Search(`//a[contains(., "Canalizações Rio Lda")]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.timeline`)))
	if got := text(`ul.timeline`); !strings.Contains(got, "I am out of the office until Monday.") || !strings.Contains(got, "A question about Canalizações Rio Lda") {
		t.Errorf("timeline: %q", got)
	}
	// The reply's own text shows, markup as text; what it quoted is folded until opened,
	// as is the exact text that went out.
	if got := text(`ul.timeline`); !strings.Contains(got, `<script>alert("reply")</script> back soon`) || strings.Contains(got, "> Hello Ana,") ||
		strings.Contains(got, "May I show you an example?") {
		t.Errorf("timeline before opening the folds: %q", got)
	}
	if eval(`document.querySelectorAll("script").length > 0`) {
		t.Error("the lead page has a script element")
	}
	run("open the folds", chromedp.Click(chromedp.CSS(`details.quoted summary`)), chromedp.Click(chromedp.CSS(`details.sent-text summary`)),
		chromedp.WaitVisible(chromedp.CSS(`details.quoted pre`)), chromedp.WaitVisible(chromedp.CSS(`details.sent-text pre`)))
	if got := text(`details.quoted`); !strings.Contains(got, "> Hello Ana,") || !strings.Contains(got, "wrote:") {
		t.Errorf("the quoted text, opened: %q", got)
	}
	if got := text(`details.sent-text`); !strings.Contains(got, "May I show you an example?") || !strings.Contains(got, "To stop these emails:") {
		t.Errorf("the text that went out, opened: %q", got)
	}
	screenshot("lead")

	// The "reply" was an out-of-office: correct it, and the sequence goes on; correct it
	// back, and the sequence stops.
	// flashed waits for the page after an action: the one that says what it did.
	flashed := func(says string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.Search(`//p[@class="flash"][contains(., "` + says + `")]`))
	}
	correct := func(kind string) {
		run("correct to "+kind,
			chromedp.SetValue(chromedp.CSS(`form[action*="/kind"] select[name=kind]`), kind),
			chromedp.Click(chromedp.CSS(`form[action*="/kind"] button`)),
			flashed("message read as "+kind))
	}
	correct("auto_reply")
	if got := text(`#sequences + ul`); !strings.Contains(got, "intro: active") {
		t.Errorf("after correcting to auto_reply, sequences: %q", got)
	}
	correct("reply")
	if got := text(`#sequences + ul`); !strings.Contains(got, "intro: stopped") {
		t.Errorf("after correcting to reply, sequences: %q", got)
	}
	if ens, _ := f.db.EnrollmentsOf(f.replied); ens[0].State != lead.StateStopped {
		t.Errorf("stored enrolment: %s", ens[0].State)
	}

	// Mark an outcome.
	run("outcome", chromedp.SetValue(chromedp.CSS(`form[action$="/outcome"] select`), "interested"),
		chromedp.Click(chromedp.CSS(`form[action$="/outcome"] button`)),
		flashed("Outcome set to interested"))
	if got := text(`dl.facts`); !strings.Contains(got, "interested") {
		t.Errorf("outcome not shown: %q", got)
	}

	// A POST without its CSRF token is refused.
	eval(`document.querySelector('form[action$="/stop"] input[name=csrf]').remove(), true`)
	run("post without csrf", chromedp.Click(chromedp.CSS(`form[action$="/stop"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//body[contains(., "did not come from this dashboard")]`)))
	body := text("body")
	if !strings.Contains(body, "did not come from this dashboard") {
		t.Errorf("POST without CSRF token answered: %q", body)
	}

	// Pause a campaign.
	run("pause", chromedp.Navigate(f.srv.URL+"/campaigns/intro"),
		chromedp.Click(chromedp.CSS(`form[action$="/pause"] button`)),
		flashed("Campaign intro paused"))
	if got := text(`h1`); !strings.Contains(got, "paused by hand") {
		t.Errorf("campaign heading after pausing: %q", got)
	}
	screenshot("campaign")
	run("overview", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if got := text(`body`); !strings.Contains(got, "campaign intro: paused by hand") {
		t.Errorf("overview does not show the pause")
	}
	screenshot("overview")
	run("inbox", chromedp.Navigate(f.srv.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	screenshot("inbox")
	if !eval(`getComputedStyle(document.querySelector("header")).display === "flex"`) {
		t.Error("the dashboard's stylesheet did not apply under its Content-Security-Policy")
	}

	// The unsubscribe page's inline style is allowed by its hash, and it needs no login.
	run("unsubscribe page", chromedp.Navigate(f.srv.URL+"/u/1/some-token"), chromedp.WaitVisible(chromedp.CSS(`button`)))
	if !eval(`getComputedStyle(document.querySelector("button")).backgroundColor === "rgb(36, 89, 199)"`) {
		t.Error("the unsubscribe page's style was blocked")
	}
	screenshot("unsubscribe")
	t.Logf("screenshots in %s", shots)
}
