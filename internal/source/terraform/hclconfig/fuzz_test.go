package hclconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fuzzDir = "/nonexistent/gatelint-fuzz/root"

func fuzzLoad(t *testing.T, files map[string][]byte) {
	overlay := map[string][]byte{}
	for name, b := range files {
		overlay[filepath.Join(fuzzDir, name)] = b
	}
	start := time.Now()
	cfg, diags := Load(fuzzDir, Options{ProjectRoot: fuzzDir, Overlay: overlay, Timeout: 20 * time.Second, MaxInstances: 200})
	if d := hasDiag(diags, "Internal error"); d != nil {
		t.Fatalf("internal error: %s", d.Detail)
	}
	if cfg == nil {
		t.Fatalf("no config after %s: %v", time.Since(start), diags)
	}
}

// FuzzLoad feeds any bytes as a .tf file: no panic, no hang.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/basic/main.tf", "testdata/basic/api.tf", "testdata/modules/main.tf", "testdata/edits/main.tf"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`locals { a = local.b
 b = local.a }
resource "x_y" "z" { count = local.a }`))
	f.Add([]byte(`resource "aws_lambda_function" "f" { for_each = toset(["a"]) timeout = each.value }`))
	f.Add([]byte(`module "m" { source = "./" }`))
	f.Add([]byte(`variable "v" { type = object({a = optional(number, 3)}) default = {} }
output "o" { value = var.v.a }`))
	f.Add([]byte("# gatelint:ignore GL001\nresource \"a_b\" \"c\" {\n  d = [for i in range(10): i]\n}\n"))
	f.Add([]byte(strings.Repeat("[", 5000)))
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzLoad(t, map[string][]byte{"main.tf": src})
	})
}

// FuzzLoadJSON feeds any bytes as a .tf.json file.
func FuzzLoadJSON(f *testing.F) {
	if b, err := os.ReadFile("testdata/json/main.tf.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"resource": {"a_b": {"c": {"count": 3, "d": "${count.index}"}}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzLoad(t, map[string][]byte{"main.tf.json": src})
	})
}

// FuzzEvaluator builds configurations with deep nesting, long reference
// chains and huge counts from a few numbers.
func FuzzEvaluator(f *testing.F) {
	f.Add(uint16(10), uint32(3), uint16(2), uint8(0))
	f.Add(uint16(3000), uint32(1<<31), uint16(5000), uint8(1))
	f.Add(uint16(399), uint32(100000), uint16(1200), uint8(2))
	f.Fuzz(func(t *testing.T, depth uint16, count uint32, chain uint16, shape uint8) {
		var b strings.Builder
		d := int(depth % 4000)
		switch shape % 3 {
		case 0:
			b.WriteString("locals { deep = " + strings.Repeat("[", d) + "1" + strings.Repeat("]", d) + " }\n")
		case 1:
			b.WriteString("locals { deep = " + strings.Repeat("(", d) + "1" + strings.Repeat(")", d) + " }\n")
		case 2:
			b.WriteString("locals { deep = " + strings.Repeat("{a=", d) + "1" + strings.Repeat("}", d) + " }\n")
		}
		n := int(chain % 3000)
		b.WriteString("locals {\n")
		for i := 0; i < n; i++ {
			b.WriteString("  l" + itoa(i) + " = local.l" + itoa(i+1) + " + 1\n")
		}
		b.WriteString("  l" + itoa(n) + " = 0\n}\n")
		b.WriteString(`resource "aws_lambda_function" "f" {
  count   = ` + itoa(int(count)) + `
  timeout = local.l0 + count.index
}
module "self" {
  source = "./"
  count  = ` + itoa(int(count%5)) + `
}
`)
		fuzzLoad(t, map[string][]byte{"main.tf": []byte(b.String())})
	})
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	p := len(buf)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		p--
		buf[p] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		p--
		buf[p] = '-'
	}
	return string(buf[p:])
}
