package fetch

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// DefaultMaxBody bounds a response body after decoding when Options.MaxBody is not set.
const DefaultMaxBody = 4 << 20

// boundBody makes resp's body safe to read whole: a gzip Content-Encoding the network
// transport did not already decode is decoded here, and the decoded stream ends after max
// bytes, so a small compressed file cannot unfold into gigabytes. The response is then
// marked Uncompressed: colly gunzips by itself any body whose Content-Type says gzip or
// whose path ends in .xml.gz, without a bound after decoding, and that flag is the one
// thing that stops it. Such a body reaches colly as the (bounded) bytes that were sent.
func boundBody(resp *http.Response, max int64) {
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	raw := resp.Body
	var r io.Reader = raw
	if !resp.Uncompressed {
		switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
		case "gzip", "x-gzip":
			// The compressed stream is bounded too: a page that compresses well is small.
			r = &lazyGzip{src: io.LimitReader(raw, max)}
			resp.Header.Del("Content-Encoding")
			resp.Header.Del("Content-Length")
			resp.ContentLength = -1
		}
	}
	resp.Body = &boundedBody{r: io.LimitReader(r, max), c: raw}
	resp.Uncompressed = true
}

// boundedBody reads a bounded (perhaps decoded) stream and closes the network body.
type boundedBody struct {
	r io.Reader
	c io.Closer
}

func (b *boundedBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *boundedBody) Close() error               { return b.c.Close() }

// lazyGzip opens the gzip stream on the first read, so reading its header happens when
// the body is read (under the request's deadline), not in RoundTrip.
type lazyGzip struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func (g *lazyGzip) Read(p []byte) (int, error) {
	if g.zr == nil && g.err == nil {
		g.zr, g.err = gzip.NewReader(g.src)
	}
	if g.err != nil {
		return 0, g.err
	}
	return g.zr.Read(p)
}
