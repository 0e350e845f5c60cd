package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
)

// ErrDamaged means the database file is damaged: cut short (a full disk, a copy that stopped
// half-way) or with pages overwritten (a failing disk, another program writing into it).
// bbolt trusts its pages and reads them through memory mapping, so such a file would crash
// the process (a fault no recover can catch) on the first read of a bad page; Open refuses it
// instead, with the way to restore it.
var ErrDamaged = errors.New("database file is damaged")

// damage is an ErrDamaged with what was found.
type damage struct{ detail string }

func (d *damage) Error() string        { return ErrDamaged.Error() + " (" + d.detail + ")" }
func (d *damage) Is(target error) bool { return target == ErrDamaged }

func damagedf(format string, a ...any) error { return &damage{detail: fmt.Sprintf(format, a...)} }

// restoreHint is what a user does about a damaged file at path.
func restoreHint(path string) string {
	return fmt.Sprintf("restore it from a backup: stop the daemon, copy the latest file written by `clientele backup FILE` over %s, "+
		"then start it again (run `clientele backup` regularly, for example from cron, so there is a recent one)", path)
}

// bbolt's file layout (go.etcd.io/bbolt/internal/common): every page starts with a 16-byte
// header (id 8, flags 2, count 2, overflow 4). A meta page holds, after it, magic, version,
// page size, flags (4 bytes each), the root bucket (root page 8, sequence 8), the freelist
// page (8), the high-water page id (8), the transaction id (8) and an FNV-64a checksum of
// everything before it. Branch elements are pos 4, ksize 4, page id 8; leaf elements
// flags 4, pos 4, ksize 4, vsize 4, pos counting from the element itself. A bucket's value
// is its root page id and sequence, followed, for an inline bucket (root 0), by its page.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	elementSize      = 16
	metaMagicOffset  = 16
	metaVersionOff   = 20
	metaPageSizeOff  = 24
	metaRootOff      = 32
	metaFreelistOff  = 48
	metaHighWaterOff = 56
	metaTxIDOff      = 64
	metaChecksumOff  = 72

	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10
	bucketLeaf   = 0x01
	noFreelist   = ^uint64(0)

	// maxTreeDepth bounds the descent: a real tree of a few million keys is a handful of
	// levels deep, so anything deeper is a loop in damaged pages.
	maxTreeDepth = 64
)

// checkFile refuses a damaged bbolt file before bbolt maps it: the length its newest valid
// meta page needs, then every page reachable from it (the freelist, and every bucket's tree,
// inline buckets included): each within the file, named by its own header, of a known type,
// reached once, its elements inside the page. It is the structural part of bbolt's
// tx.Check, done with every access bounds-checked so that a bad page is an error, not a
// fault (tx.Check follows pointers into the mapping, in a goroutine of its own where no
// fault can be recovered). A missing or empty file is fine (it is created); a file that is
// not bbolt at all is left to bbolt to name. It reads the file through a read-only mapping,
// under the shared lock: see BenchmarkOpen for its cost.
func checkFile(path string) (err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return nil // bbolt reports permission problems in its own words
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return nil
	}
	unlock, ok := lockShared(f)
	if !ok {
		return nil // another process writes it: Open gives ErrInUse, and that process checked it
	}
	defer unlock()
	m, err := newestMeta(f, info.Size())
	if err != nil || m == nil {
		return err
	}
	if m.highWater > uint64(info.Size())/uint64(m.pageSize) {
		return damagedf("%d bytes, its header needs %d pages of %d: the file was cut short", info.Size(), m.highWater, m.pageSize)
	}
	if m.highWater < 2 {
		return damagedf("its header says it has %d pages", m.highWater)
	}
	need := int64(m.highWater) * int64(m.pageSize)
	data, unmap, err := mapFile(f, need)
	if err != nil {
		return nil // bbolt maps it next and reports why it cannot
	}
	defer unmap()
	// Every access is bounds-checked against the mapping, which the shared lock keeps whole;
	// should a read fault anyway (the disk gone), it becomes an error here, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damagedf("unreadable: %v", r)
		}
	}()
	return newPageCheck(data, m).check(m)
}

func newPageCheck(data []byte, m *meta) *pageCheck {
	return &pageCheck{data: data, pageSize: m.pageSize, high: m.highWater, seen: make([]bool, m.highWater), freed: map[uint64]bool{}}
}

// check walks the freelist and the whole bucket tree.
func (c *pageCheck) check(m *meta) error {
	if m.freelist != noFreelist {
		if err := c.freelist(m.freelist); err != nil {
			return err
		}
	}
	return c.tree(m.root, 0)
}

type meta struct {
	pageSize                  int
	root, freelist, highWater uint64
	txid                      uint64
}

// newestMeta is the valid meta page with the highest transaction id, with the page size
// bbolt will use, found the way bbolt finds them; nil when neither meta page is valid (bbolt
// then refuses the file itself: not bbolt at all, or both headers gone).
func newestMeta(r io.ReaderAt, size int64) (*meta, error) {
	pageSize := bboltPageSize(r, size)
	var best *meta
	for i := range 2 {
		var b [metaChecksumOff + 8]byte
		if _, err := r.ReadAt(b[:], int64(i*pageSize)); err != nil {
			continue
		}
		if m := readMeta(b[:]); m != nil && (best == nil || m.txid > best.txid) {
			best = m
		}
	}
	if best == nil {
		return nil, nil
	}
	if pageSize < 1024 || pageSize > 1<<24 || pageSize&(pageSize-1) != 0 {
		return nil, damagedf("a page size of %d bytes", pageSize)
	}
	best.pageSize = pageSize
	return best, nil
}

// bboltPageSize is the page size bbolt opens a file with: the first meta page's if it is
// valid, else that of a valid second meta page found at one of the places bbolt tries, else
// the system's.
func bboltPageSize(r io.ReaderAt, size int64) int {
	var b [metaChecksumOff + 8]byte
	if _, err := r.ReadAt(b[:], 0); err == nil {
		if m := readMeta(b[:]); m != nil {
			return m.pageSize
		}
	}
	for i := range 15 {
		pos := int64(1024) << i
		if pos >= size-1024 {
			break
		}
		if _, err := r.ReadAt(b[:], pos); err == nil {
			if m := readMeta(b[:]); m != nil {
				return m.pageSize
			}
		}
	}
	return os.Getpagesize()
}

// readMeta reads a meta page's fields if its magic, version and checksum hold (what bbolt
// checks).
func readMeta(b []byte) *meta {
	le := binary.LittleEndian
	if le.Uint32(b[metaMagicOffset:]) != boltMagic || le.Uint32(b[metaVersionOff:]) != boltVersion {
		return nil
	}
	h := fnv.New64a()
	h.Write(b[metaMagicOffset:metaChecksumOff])
	if h.Sum64() != le.Uint64(b[metaChecksumOff:]) {
		return nil
	}
	return &meta{pageSize: int(le.Uint32(b[metaPageSizeOff:])), root: le.Uint64(b[metaRootOff:]), freelist: le.Uint64(b[metaFreelistOff:]),
		highWater: le.Uint64(b[metaHighWaterOff:]), txid: le.Uint64(b[metaTxIDOff:])}
}

// pageCheck walks the pages of one file.
type pageCheck struct {
	data     []byte // the file's pages up to the high-water mark
	pageSize int
	high     uint64
	seen     []bool
	freed    map[uint64]bool
}

// page reads page id with its overflow pages, checking that they are inside the file, that
// the header names the page and that no page is reached twice.
func (c *pageCheck) page(id uint64) ([]byte, error) {
	if id < 2 || id >= c.high {
		return nil, damagedf("a reference to page %d, outside pages 2..%d", id, c.high-1)
	}
	ps := uint64(c.pageSize)
	head := c.data[id*ps : (id+1)*ps]
	if got := binary.LittleEndian.Uint64(head); got != id {
		return nil, damagedf("page %d is marked as page %d", id, got)
	}
	overflow := uint64(binary.LittleEndian.Uint32(head[12:]))
	if overflow >= c.high-id {
		return nil, damagedf("page %d runs past the end of the file", id)
	}
	for p := id; p <= id+overflow; p++ {
		if c.seen[p] || c.freed[p] {
			return nil, damagedf("page %d is used twice", p)
		}
		c.seen[p] = true
	}
	return c.data[id*ps : (id+overflow+1)*ps], nil
}

// freelist checks the freelist page and records the free pages (never part of a tree).
func (c *pageCheck) freelist(id uint64) error {
	p, err := c.page(id)
	if err != nil {
		return err
	}
	if flags := binary.LittleEndian.Uint16(p[8:]); flags != freelistPage {
		return damagedf("the freelist page %d has type %#x", id, flags)
	}
	n, start := uint64(binary.LittleEndian.Uint16(p[10:])), uint64(pageHeaderSize)
	if n == 0xFFFF {
		n, start = binary.LittleEndian.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if n > (uint64(len(p))-start)/8 {
		return damagedf("the freelist page %d lists more pages than it holds", id)
	}
	for i := range n {
		free := binary.LittleEndian.Uint64(p[start+8*i:])
		if free < 2 || free >= c.high || c.seen[free] || c.freed[free] {
			return damagedf("the freelist lists page %d, which cannot be free", free)
		}
		c.freed[free] = true
	}
	return nil
}

// tree checks the branch or leaf page id and everything under it.
func (c *pageCheck) tree(id uint64, depth int) error {
	if depth > maxTreeDepth {
		return damagedf("the tree under page %d is deeper than %d levels", id, maxTreeDepth)
	}
	p, err := c.page(id)
	if err != nil {
		return err
	}
	switch flags := binary.LittleEndian.Uint16(p[8:]); flags {
	case branchPage:
		n := int(binary.LittleEndian.Uint16(p[10:]))
		if n == 0 || pageHeaderSize+n*elementSize > len(p) {
			return damagedf("branch page %d has %d elements", id, n)
		}
		for i := range n {
			e := pageHeaderSize + i*elementSize
			pos, ksize := uint64(binary.LittleEndian.Uint32(p[e:])), uint64(binary.LittleEndian.Uint32(p[e+4:]))
			if uint64(e)+pos+ksize > uint64(len(p)) {
				return damagedf("branch page %d: a key outside the page", id)
			}
			if err := c.tree(binary.LittleEndian.Uint64(p[e+8:]), depth+1); err != nil {
				return err
			}
		}
		return nil
	case leafPage:
		return c.leaf(p, id, depth)
	default:
		return damagedf("page %d has the unknown type %#x", id, flags)
	}
}

// leaf checks the elements of a leaf page (p begins with its header; an inline bucket's page
// is a slice of its parent's value) and descends into the buckets it holds.
func (c *pageCheck) leaf(p []byte, id uint64, depth int) error {
	if len(p) < pageHeaderSize || binary.LittleEndian.Uint16(p[8:]) != leafPage {
		return damagedf("page %d: an inline bucket that is not a leaf", id)
	}
	n := int(binary.LittleEndian.Uint16(p[10:]))
	if pageHeaderSize+n*elementSize > len(p) {
		return damagedf("leaf page %d has %d elements, more than it holds", id, n)
	}
	for i := range n {
		e := pageHeaderSize + i*elementSize
		flags := binary.LittleEndian.Uint32(p[e:])
		pos := uint64(binary.LittleEndian.Uint32(p[e+4:]))
		ksize := uint64(binary.LittleEndian.Uint32(p[e+8:]))
		vsize := uint64(binary.LittleEndian.Uint32(p[e+12:]))
		end := uint64(e) + pos + ksize + vsize
		if end > uint64(len(p)) {
			return damagedf("leaf page %d: a key or value outside the page", id)
		}
		if flags&bucketLeaf == 0 {
			continue
		}
		v := p[end-vsize : end]
		if len(v) < 16 {
			return damagedf("leaf page %d: a bucket of %d bytes", id, len(v))
		}
		if root := binary.LittleEndian.Uint64(v); root != 0 {
			if err := c.tree(root, depth+1); err != nil {
				return err
			}
		} else if err := c.leaf(v[16:], id, depth+1); err != nil {
			return err
		}
	}
	return nil
}
