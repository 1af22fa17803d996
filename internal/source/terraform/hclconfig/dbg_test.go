package hclconfig

import (
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	_, diags := loadCorpusDir(os.Getenv("D"))
	for _, d := range diags {
		if strings.Contains(os.Getenv("F"), "all") || strings.Contains(d.Error(), os.Getenv("F")) {
			t.Log(d.Error())
		}
	}
}
