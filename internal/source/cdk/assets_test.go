package cdk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gatelint/gatelint/internal/model"
)

func TestMapAssets(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lambda/app.py", "import requests\n")
	write("lambda/lib/util.py", "x = 1\n")
	write("lambda/test_app.py", "not in the asset\n")
	write("other/app.py", "import requests\n") // same name and bytes, but not util.py
	write("cdk.out/asset.abc/app.py", "import requests\n")
	write("cdk.out/asset.abc/lib/util.py", "x = 1\n")
	write("cdk.out/asset.bundle/index.js", "bundled\n")
	m := &model.Model{Functions: []*model.Function{
		{Resource: &model.Resource{Address: "A"}, Code: &model.Code{Dir: filepath.Join(root, "cdk.out", "asset.abc"), Setting: "aws:asset:path"}},
		{Resource: &model.Resource{Address: "B"}, Code: &model.Code{Dir: filepath.Join(root, "cdk.out", "asset.bundle"), Setting: "aws:asset:path"}},
	}}
	mapAssets(m)
	if got, want := m.Functions[0].Code.Dir, filepath.Join(root, "lambda"); got != want {
		t.Errorf("asset.abc maps to %s, want %s", got, want)
	}
	if m.Functions[1].Code != nil {
		t.Errorf("a bundle no directory of the app holds maps to %s", m.Functions[1].Code.Dir)
	}
}
