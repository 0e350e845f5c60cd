package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrDamaged means the database file is shorter than its own header says: it was cut off
// (a full disk, a copy that stopped half-way). Opening it would crash on the first read of
// a missing page, so it is refused; restore it from a backup.
var ErrDamaged = errors.New("database file is damaged (shorter than it says it is); restore it from a backup")

// bbolt's meta page layout: a 16-byte page header, then magic, version, page size, flags
// (4 bytes each), the root bucket (16), the freelist page id (8), the high-water page id
// (8) and the transaction id (8).
const (
	boltMagic        = 0xED0CDAED
	metaMagicOffset  = 16
	metaPageSizeOff  = 24
	metaHighWaterOff = 56
	metaTxIDOff      = 64
)

// checkLength refuses a file cut short: every page up to the high-water mark of its newest
// valid meta page must be in the file. A missing or empty file is fine (it is created).
func checkLength(path string) error {
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
	var head [metaTxIDOff + 8]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return ErrDamaged
	}
	if binary.LittleEndian.Uint32(head[metaMagicOffset:]) != boltMagic {
		return nil // not bbolt at all: bbolt's own check says so
	}
	pageSize := int64(binary.LittleEndian.Uint32(head[metaPageSizeOff:]))
	if pageSize < 512 || pageSize > 1<<20 {
		return ErrDamaged
	}
	highWater := int64(0)
	txid := uint64(0)
	for i := int64(0); i < 2; i++ {
		var meta [metaTxIDOff + 8]byte
		if _, err := f.ReadAt(meta[:], i*pageSize); err != nil {
			continue
		}
		if binary.LittleEndian.Uint32(meta[metaMagicOffset:]) != boltMagic {
			continue
		}
		if t := binary.LittleEndian.Uint64(meta[metaTxIDOff:]); t >= txid {
			txid = t
			highWater = int64(binary.LittleEndian.Uint64(meta[metaHighWaterOff:]))
		}
	}
	if highWater > 0 && info.Size() < highWater*pageSize {
		return fmt.Errorf("%w: %d bytes, its header needs %d", ErrDamaged, info.Size(), highWater*pageSize)
	}
	return nil
}
