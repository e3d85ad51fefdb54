using System.Security.Cryptography;
using System.Text;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;

namespace HotlineQA.IntegrationTests.Storage;

internal static class StorageTestData
{
    public static NewCall Call(string key, string? agent = "A001", string? queue = "billing", DateTimeOffset? startedAt = null) => new()
    {
        CallKey = key,
        ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key + Guid.NewGuid()))),
        SizeBytes = 1234,
        SourcePath = $"/inbox/{key}.wav",
        Agent = agent,
        Queue = queue,
        StartedAt = startedAt,
    };

    public static IReadOnlyList<Utterance> Utterances(int n) => Enumerable.Range(0, n).Select(i => new Utterance
    {
        Speaker = i % 2 == 0 ? Speakers.Agent : Speakers.Customer,
        Start = i * 2.0,
        End = i * 2.0 + 1.5,
        Text = i % 2 == 0 ? "您好,这里是客服热线。" : "我的宽带又断了。",
        Confidence = i % 3 == 0 ? null : 0.9,
    }).ToList();

    public static ScoreResult Score(double score, bool flagged, params (string Item, string Result)[] findings) => new()
    {
        RubricVersion = "2026.2",
        Score = score,
        Flagged = flagged,
        FlagReasons = flagged ? ["ESCALATION_RISK"] : [],
        IsComplaint = flagged,
        Findings = findings.Select(f => new Finding
        {
            Item = f.Item, Result = f.Result, Severity = "major", Confidence = 0.8,
            Reason = f.Result == Results.Fail ? "perfunctory" : null, NeedsListening = f.Result == Results.Fail,
            Evidence = [new Evidence { Utterance = 0, Speaker = Speakers.Agent, Start = 0, End = 1.5, Text = "您好" }],
        }).ToList(),
    };
}
