package scaffold

// The two small functions the async path adds, inline so the snippet
// deploys as it is. The enqueue function is where the idempotency key is
// honoured: a conditional write claims the job ID, so a client's retry
// (same Idempotency-Key header) queues nothing twice.

const enqueueCode = `import json
import os
import time
import uuid

import boto3

sqs = boto3.client("sqs")
jobs = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])


def handler(event, context):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    job_id = headers.get("idempotency-key") or str(uuid.uuid4())
    try:
        # Claim the job ID: a retried request with the same key is a no-op.
        jobs.put_item(
            Item={"jobId": job_id, "status": "QUEUED", "expiresAt": int(time.time()) + 7 * 86400},
            ConditionExpression="attribute_not_exists(jobId)",
        )
    except jobs.meta.client.exceptions.ConditionalCheckFailedException:
        return accepted(event, job_id)
    sqs.send_message(
        QueueUrl=os.environ["QUEUE_URL"],
        MessageBody=event.get("body") or "{}",
        MessageAttributes={"jobId": {"DataType": "String", "StringValue": job_id}},
    )
    return accepted(event, job_id)


def accepted(event, job_id):
    # On a REST API's execute-api URL the path starts with the stage
    # (/Prod/...); an HTTP API's $default stage has none.
    stage = (event.get("requestContext") or {}).get("stage") or "$default"
    location = os.environ["STATUS_PATH"].replace("{jobId}", job_id)
    if stage != "$default" and (event.get("requestContext") or {}).get("path", "").startswith("/" + stage + "/"):
        location = "/" + stage + location
    return {
        "statusCode": 202,
        "headers": {"Content-Type": "application/json", "Location": location},
        "body": json.dumps({"jobId": job_id, "status": "QUEUED"}),
    }
`

const statusCode = `import json
import os

import boto3

jobs = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])


def handler(event, context):
    job_id = (event.get("pathParameters") or {}).get("jobId")
    item = jobs.get_item(Key={"jobId": job_id}).get("Item") if job_id else None
    if item is None:
        return {"statusCode": 404, "body": json.dumps({"message": "no such job"})}
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(item, default=str),
    }
`
