using HotlineQA.Storage;

namespace HotlineQA.Host.Web;

/// <summary>The read API behind the pages (login required, like everything else).</summary>
public static class CallsApi
{
    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        // The recording itself, for the call page's player; range requests let the browser seek.
        app.MapGet("/calls/{id:long}/audio", async (long id, CallStore calls, CancellationToken ct) =>
        {
            var call = await calls.GetAsync(id, ct);
            if (call is null || !File.Exists(call.SourcePath)) return Results.NotFound();
            var type = ContentTypes.TryGetContentType(call.SourcePath, out var t) ? t : "application/octet-stream";
            return Results.File(call.SourcePath, type, enableRangeProcessing: true);
        });

        var api = app.MapGroup("/api");
        api.MapGet("/calls", async (CallStore calls, string? status, bool? flagged, int? limit, int? offset, CancellationToken ct) =>
        {
            if (status is not null && !CallStatus.All.Contains(status))
                return Results.BadRequest(new { error = $"status must be one of {string.Join(", ", CallStatus.All)}" });
            var rows = await calls.ListAsync(new CallQuery
            {
                Status = status, Flagged = flagged, Limit = Math.Clamp(limit ?? 200, 1, 1000), Offset = Math.Max(offset ?? 0, 0),
            }, ct);
            return Results.Ok(rows);
        });
        api.MapGet("/triage", async (HotlineQA.Review.TriageStore triage, string? reason, string? item, string? severity, string? agent, string? queue,
            DateTimeOffset? from, DateTimeOffset? to, double? minScore, double? maxScore, string? sort, int? limit, int? offset,
            bool? reviewed, string? reviewer, string? q, string? sentiment, CancellationToken ct) =>
        {
            if (sort is not null && !HotlineQA.Review.TriageStore.Sorts.ContainsKey(sort))
                return Results.BadRequest(new { error = $"sort must be one of {string.Join(", ", HotlineQA.Review.TriageStore.Sorts.Keys)}" });
            if (sentiment is not null && !HotlineQA.Review.TriageStore.SentimentFilters.Contains(sentiment))
                return Results.BadRequest(new { error = $"sentiment must be one of {string.Join(", ", HotlineQA.Review.TriageStore.SentimentFilters)}" });
            if (q?.Trim().Length > HotlineQA.Review.TranscriptSearch.MaxLength)
                return Results.BadRequest(new { error = $"q must be at most {HotlineQA.Review.TranscriptSearch.MaxLength} characters" });
            return Results.Ok(await triage.ListAsync(new HotlineQA.Review.TriageQuery
            {
                FlagReason = reason, Item = item, Severity = severity, Agent = agent, Queue = queue, From = from, To = to,
                MinScore = minScore, MaxScore = maxScore, Sort = sort ?? "priority", Limit = Math.Clamp(limit ?? 50, 1, 500), Offset = Math.Max(offset ?? 0, 0),
                Reviewed = reviewed, Reviewer = string.IsNullOrWhiteSpace(reviewer) ? null : reviewer.Trim(), Text = q, Sentiment = sentiment,
            }, ct));
        });
        api.MapGet("/findings/{findingId:long}/verdicts", async (long findingId, ReviewStore reviews, CancellationToken ct) =>
            Results.Ok(await reviews.ListForFindingAsync(findingId, ct)));
        api.MapGet("/calls/{id:long}", async (long id, CallStore calls, UtteranceStore utterances, ScoreStore scores, CancellationToken ct) =>
        {
            var call = await calls.GetAsync(id, ct);
            if (call is null) return Results.NotFound();
            var score = await scores.GetCurrentAsync(id, ct);
            var findings = score is null ? [] : await scores.ListFindingsAsync(score.Id, ct);
            return Results.Ok(new
            {
                call.Id, call.CallKey, call.Status, call.Error, call.Agent, call.Queue, call.StartedAt, call.DurationSec, call.Channels,
                Utterances = (await utterances.ListAsync(id, ct)).Select(u => new { u.Idx, u.Speaker, Start = u.StartSec, End = u.EndSec, u.Text, u.Confidence }),
                Score = score is null ? null : new
                {
                    score.RubricVersion, score.Score, score.Flagged, FlagReasons = score.FlagReasonList, score.IsComplaint,
                    // Null for scores made before the customer model (CONTRACTS §2 customerSentiment).
                    CustomerSentiment = score.Sentiment,
                    Reviewed = score.ReviewedScore is null ? null : new
                    {
                        Score = score.ReviewedScore, Flagged = score.ReviewedFlagged, FlagReasons = score.ReviewedFlagReasonList,
                        Reviewer = score.ReviewedBy, Complete = score.ReviewedAt is not null, At = score.ReviewedAt,
                    },
                    Findings = findings.Select(f => new { f.Item, f.Result, f.Severity, f.Confidence, f.Reason, f.NeedsListening, Evidence = f.EvidenceList }),
                },
            });
        });
    }
}
