package mailconn

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"time"
)

// watchConn bounds every read and write of a connection: each must make progress within
// the timeout, however long the whole exchange takes (a large message on a slow link is
// fine, a server that stops answering is not). It remembers that the bound was hit, so the
// caller can tell a silent server from one that refused or hung up.
type watchConn struct {
	net.Conn
	timeout  time.Duration
	timedOut atomic.Bool
}

func (c *watchConn) Read(b []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	n, err := c.Conn.Read(b)
	c.note(err)
	return n, err
}

func (c *watchConn) Write(b []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.timeout))
	n, err := c.Conn.Write(b)
	c.note(err)
	return n, err
}

func (c *watchConn) note(err error) {
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		c.timedOut.Store(true)
	}
}

// SetDeadline, SetReadDeadline and SetWriteDeadline are the watchdog's alone: a library
// setting one absolute deadline for a whole transaction would cut a slow but healthy one.
func (c *watchConn) SetDeadline(time.Time) error      { return nil }
func (c *watchConn) SetReadDeadline(time.Time) error  { return nil }
func (c *watchConn) SetWriteDeadline(time.Time) error { return nil }
