package rules_test

// Timeouts outside what AWS accepts are the deploy failure they are
// (issue 12): GL012 for a function's Timeout; GL001 already for an
// integration timeout below 50 ms.

func init() { cases = append(cases, boundsCases...) }

var boundsCases = []ruleCase{
	{
		name: "GL012/above-900-and-below-1",
		src: `
Resources:
  Long:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 901}
  Zero:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 0}
  Fine:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 900}
`,
		want: []string{"GL012 t.yaml:4:27 error fix=900 (unsafe)", "GL012 t.yaml:7:27 error fix=1"},
		contains: []string{
			"function Long has Timeout 901 s, above Lambda's maximum of 900 s: the deploy fails (Lambda refuses it).",
			"function Zero has Timeout 0 s, below Lambda's minimum of 1 s: the deploy fails",
		},
	},
	{
		name:   "GL012/from-a-parameter",
		params: map[string]string{"T": "1200"},
		src: `
Parameters:
  T: {Type: Number, Default: 60}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Timeout: !Ref T}
`,
		want:     []string{"GL012 t.yaml:6:27 error"},
		contains: []string{"Timeout 1200 s (from parameter T), above Lambda's maximum of 900 s", "Deploy with T=900."},
	},
	{
		// Behind an API, GL002's value is the fix; GL012 says the
		// deploy fails without offering one that would collide.
		name: "GL012/behind-an-api-leaves-the-fix-to-GL002",
		src: `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 1000
      Events:
        Get: {Type: Api, Properties: {Path: /p, Method: get}}
`,
		want:     []string{"GL002 t.yaml:5:16 warning endpoint=GET /p fix=26 (unsafe)", "GL003 t.yaml:7:9 warning endpoint=GET /p", "GL012 t.yaml:5:16 error"},
		contains: []string{"GL002 says how long it may run behind its API."},
	},
}
