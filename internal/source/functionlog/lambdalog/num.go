package lambdalog

import (
	"math"
	"time"
)

// Hand-written number and time scanning: the values of platform records
// are short decimals and RFC 3339 timestamps, and strconv/time.Parse would
// need a string (an allocation) for each.

// number reads a JSON or log decimal ("31234.56", "-1", "1.5e3") at the
// start of b. n is how many bytes it took, 0 when b does not start with a
// number.
func number(b []byte) (v float64, n int) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	digits, scale := 0, 0
	start := i
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if digits < 18 {
			mant = mant*10 + uint64(b[i]-'0')
			if mant != 0 {
				digits++
			}
		} else {
			scale++ // digits beyond float precision: magnitude only
		}
	}
	intDigits := i - start
	fracDigits := 0
	if i < len(b) && b[i] == '.' {
		j := i + 1
		for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
			if digits < 18 {
				mant = mant*10 + uint64(b[j]-'0')
				if mant != 0 {
					digits++
				}
				scale--
			}
		}
		fracDigits = j - i - 1
		if fracDigits > 0 || intDigits > 0 {
			i = j
		}
	}
	if intDigits == 0 && fracDigits == 0 {
		return 0, 0
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		eneg := false
		if j < len(b) && (b[j] == '-' || b[j] == '+') {
			eneg = b[j] == '-'
			j++
		}
		e, k := 0, j
		for ; k < len(b) && b[k] >= '0' && b[k] <= '9'; k++ {
			if e < 10000 {
				e = e*10 + int(b[k]-'0')
			}
		}
		if k > j {
			if eneg {
				e = -e
			}
			scale += e
			i = k
		}
	}
	v = float64(mant)
	switch {
	case scale > 0:
		if scale > 400 {
			scale = 400
		}
		for ; scale >= 16; scale -= 16 {
			v *= 1e16
		}
		v *= pow10[scale]
	case scale < 0:
		s := -scale
		if s > 400 {
			s = 400
		}
		for ; s >= 16; s -= 16 {
			v /= 1e16
		}
		v /= pow10[s]
	}
	if neg {
		v = -v
	}
	return v, i
}

var pow10 = [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// msDuration turns milliseconds into a Duration, clamped to what a
// Duration holds (garbage in a log must not wrap around).
func msDuration(ms float64) time.Duration {
	switch {
	case ms != ms || ms <= 0: // NaN or not positive
		return 0
	case ms > 1e12: // about 31 years
		return time.Duration(1e12) * time.Millisecond
	}
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// ParseTime reads an RFC 3339 timestamp as Lambda logs write them
// ("2024-01-02T03:04:05.678Z", offsets and a space for the T accepted)
// without allocating; false when b is not one.
func ParseTime(b []byte) (time.Time, bool) { return rfc3339(b) }

// rfc3339 reads "2006-01-02T15:04:05[.000…](Z|±07:00)", the timestamps of
// Lambda logs; a space for the T and a missing zone (UTC) are accepted.
func rfc3339(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for k := i; k < i+n; k++ {
			c := b[k]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	min, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 {
		return time.Time{}, false
	}
	i := 19
	nsec := 0
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		i++
		digits := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if digits < 9 {
				nsec = nsec*10 + int(b[i]-'0')
				digits++
			}
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	loc := time.UTC
	offset := 0
	if i < len(b) {
		switch b[i] {
		case 'Z', 'z':
			i++
		case '+', '-':
			if len(b) < i+6 || b[i+3] != ':' {
				return time.Time{}, false
			}
			oh, ok1 := num(i+1, 2)
			om, ok2 := num(i+4, 2)
			if !ok1 || !ok2 {
				return time.Time{}, false
			}
			offset = oh*3600 + om*60
			if b[i] == '-' {
				offset = -offset
			}
			i += 6
		}
	}
	if i != len(b) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, nsec, loc)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}
