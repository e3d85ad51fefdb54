using System.Text;
using System.Text.Json;
using Dapper;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.Transcription;

namespace HotlineQA.Classification;

/// <summary>
/// Turns reviewers' verdicts on classifier-backed findings into labelled agent utterances (the JSONL feedback format
/// of docs/classifier.md), so <c>classifier train --with-feedback</c> learns from them. Only the latest verdict of a
/// finding counts, and only agent turns quoted as evidence are labelled.
/// </summary>
public sealed class ReviewerFeedback(HotlineDatabase db, UtteranceStore utterances)
{
    /// <summary>The label an agent turn gets from (item, result, verdict); null when the verdict says nothing about the turn.</summary>
    public static string? LabelFor(string item, string result, string verdict)
    {
        var confirmed = verdict == Verdicts.Confirm;
        return (item, result) switch
        {
            ("PERFUNCTORY_APOLOGY", Results.Fire) => confirmed ? UtteranceLabels.PerfunctoryApology : UtteranceLabels.SincereApology,
            ("APOLOGY", Results.Fail) => confirmed ? UtteranceLabels.PerfunctoryApology : UtteranceLabels.SincereApology,
            ("APOLOGY", Results.Pass) => confirmed ? UtteranceLabels.SincereApology : UtteranceLabels.PerfunctoryApology,
            ("BLAME_SHIFTING", Results.Fail) => confirmed ? UtteranceLabels.BlameShifting : UtteranceLabels.Neutral,
            ("EMPATHY", Results.Pass) => confirmed ? UtteranceLabels.Empathy : null,
            _ => null,
        };
    }

    public async Task<IReadOnlyList<LabelledUtterance>> CollectAsync(CancellationToken ct = default)
    {
        List<(long FindingId, long CallId, string Item, string Result, string Evidence, string Verdict)> rows;
        await using (var c = await db.OpenAsync(ct))
        {
            rows = (await c.QueryAsync<(long, long, string, string, string, string)>(new CommandDefinition("""
                SELECT f.id, s.call_id, f.item, f.result, f.evidence_json, r.verdict
                FROM reviews r
                JOIN findings f ON f.id = r.finding_id
                JOIN scores s ON s.id = f.score_id
                WHERE f.item IN ('PERFUNCTORY_APOLOGY', 'APOLOGY', 'BLAME_SHIFTING', 'EMPATHY')
                  AND r.id = (SELECT MAX(r2.id) FROM reviews r2 WHERE r2.finding_id = r.finding_id)
                ORDER BY f.id
                """, cancellationToken: ct))).ToList();
        }
        var examples = new List<LabelledUtterance>();
        foreach (var group in rows.GroupBy(r => r.CallId))
        {
            var turns = (await utterances.ListAsync(group.Key, ct)).ToList();
            foreach (var row in group)
            {
                if (LabelFor(row.Item, row.Result, row.Verdict) is not { } label) continue;
                var evidence = JsonSerializer.Deserialize<List<Evidence>>(row.Evidence, HotlineJson.Options) ?? [];
                foreach (var e in evidence.Where(e => e.Speaker == Speakers.Agent && e.Utterance >= 0 && e.Utterance < turns.Count))
                {
                    var i = e.Utterance;
                    var previous = turns.Take(i).LastOrDefault(t => t.Speaker == Speakers.Customer)?.Text;
                    var next = turns.Skip(i + 1).FirstOrDefault(t => t.Speaker == Speakers.Agent)?.Text;
                    examples.Add(new LabelledUtterance(label, turns[i].Text, previous, next, $"review:finding:{row.FindingId}"));
                }
            }
        }
        return examples;
    }

    /// <summary>Writes the examples as JSON Lines (one object per line: text, label, previousCustomerText, nextAgentText, source).</summary>
    public static void WriteJsonl(IEnumerable<LabelledUtterance> examples, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var x in examples)
            w.WriteLine(JsonSerializer.Serialize(new
            {
                text = x.Text, label = x.Label, previousCustomerText = x.PreviousCustomerText, nextAgentText = x.NextAgentText, source = x.Source,
            }, HotlineJson.Options));
    }
}
