using System.Text.Json;
using HotlineQA.Host.Cli;

namespace HotlineQA.Tests.Scoring;

/// <summary>`hotlineqa score` as CONTRACTS §2/§3 say. Console redirection is process-wide, so these run one at a time.</summary>
[Collection("console")]
public class ScoreCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try { return (await CliApp.RunAsync(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Fact]
    public async Task Score_ShouldPrintOneContractJson_WhenGivenOneFile()
    {
        var file = Path.Combine(DevSet.Folder, "telecom-billing-double-charge-model-handling.transcript.json");
        var (code, stdout, _) = await Run("score", file, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("telecom-billing-double-charge-model-handling", root.GetProperty("callId").GetString());
        Assert.Equal("2026.39", root.GetProperty("rubricVersion").GetString());
        Assert.True(root.GetProperty("isComplaint").GetBoolean());
        // The customer model runs in the CLI as in the pipeline: every score carries customerSentiment (CONTRACTS §2).
        var sentiment = root.GetProperty("customerSentiment");
        Assert.Contains(sentiment.GetProperty("trend").GetString(), new[] { "better", "same", "worse" });
        Assert.InRange(sentiment.GetProperty("overall").GetDouble(), -1, 1);
        Assert.NotEmpty(sentiment.GetProperty("turns").EnumerateArray());
        Assert.NotEmpty(root.GetProperty("complaintEvidence").EnumerateArray());
        Assert.Equal("customer", root.GetProperty("complaintEvidence")[0].GetProperty("speaker").GetString());
        Assert.Equal(20, root.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("result").GetString() != "fire"));
        var greeting = root.GetProperty("findings")[0];
        Assert.Equal("GREETING", greeting.GetProperty("item").GetString());
        Assert.Equal(0, greeting.GetProperty("evidence")[0].GetProperty("utterance").GetInt32());
    }

    [Fact]
    public async Task Score_ShouldPrintArrayInFileNameOrder_WhenGivenDir()
    {
        var (code, stdout, _) = await Run("score", "--dir", DevSet.Folder, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var ids = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("callId").GetString()).ToList();
        Assert.Equal(25, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal).ToList(), ids);
    }

    [Fact]
    public async Task Score_ShouldExitOneNamingTheFile_WhenTheTranscriptIsBad()
    {
        var dir = Directory.CreateTempSubdirectory("hqa-score-");
        try
        {
            var bad = Path.Combine(dir.FullName, "broken.transcript.json");
            await File.WriteAllTextAsync(bad, "{ \"utterances\": [ { \"speaker\": \"robot\", \"start\": 0, \"end\": 1, \"text\": \"x\" } ] }");
            var (code, stdout, stderr) = await Run("score", bad, "--format", "json");
            Assert.Equal(1, code);
            Assert.Contains("broken.transcript.json", stderr);
            Assert.Equal("", stdout);
            (code, _, stderr) = await Run("score", "--dir", dir.FullName, "--format", "json");
            Assert.Equal(1, code);
            Assert.Contains("broken.transcript.json", stderr);
            (code, _, stderr) = await Run("score", Path.Combine(dir.FullName, "missing.transcript.json"));
            Assert.Equal(1, code);
            Assert.Contains("missing.transcript.json", stderr);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task Score_ShouldExitOneNamingTheLine_WhenTheRubricIsBroken()
    {
        var rubric = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(rubric, "version: \"x\"\nsettings:\n  confidenceThreshold: high\n");
            var file = Path.Combine(DevSet.Folder, "bank-card-lost-report-mono.transcript.json");
            var (code, _, stderr) = await Run("score", file, "--rubric", rubric);
            Assert.Equal(1, code);
            Assert.Contains("line 3", stderr);
        }
        finally { File.Delete(rubric); }
    }

    [Theory]
    [InlineData]
    [InlineData("a.transcript.json", "--dir", ".")]
    public async Task Score_ShouldExitTwo_WhenUsageIsWrong(params string[] extra)
    {
        var (code, _, _) = await Run(["score", .. extra]);
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Score_ShouldPrintReadableText_WhenFormatIsText()
    {
        var file = Path.Combine(DevSet.Folder, "bank-card-silent-call-rude-prompt.transcript.json");
        var (code, stdout, _) = await Run("score", file);
        Assert.Equal(0, code);
        Assert.Contains("FLAGGED", stdout);
        Assert.Contains("SILENT_CALL", stdout);
    }
}
