package live

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
)

// timeoutQuotaName is how Service Quotas names the REST integration
// timeout quota. Its code has been seen as L-E5AE38E3 and L-013C7B07, so
// it is looked up by name.
const timeoutQuotaName = "Maximum integration timeout in milliseconds"

// readQuota returns the account's REST integration timeout quota in this
// region, or 0 when it cannot be read (the rules then use the default or
// --rest-max-timeout).
func (r *regionReader) readQuota(ctx context.Context) int64 {
	p := servicequotas.NewListServiceQuotasPaginator(r.c.quotas, &servicequotas.ListServiceQuotasInput{ServiceCode: aws.String("apigateway"), MaxResults: aws.Int32(100)})
	var quota int64
	err := eachPage(ctx, r.a, "servicequotas", func() bool { return quota == 0 && p.HasMorePages() },
		func(ctx context.Context) (*servicequotas.ListServiceQuotasOutput, error) { return p.NextPage(ctx) },
		func(out *servicequotas.ListServiceQuotasOutput) {
			for _, q := range out.Quotas {
				if strings.EqualFold(strings.TrimSpace(aws.ToString(q.QuotaName)), timeoutQuotaName) && q.Value != nil {
					quota = int64(*q.Value)
				}
			}
		})
	if err != nil && !r.a.optedOut(err) {
		r.a.fail(fmt.Sprintf("arn:aws:servicequotas:%s::apigateway/%s", r.c.region, timeoutQuotaName), "servicequotas:ListServiceQuotas", err)
	}
	return quota
}
