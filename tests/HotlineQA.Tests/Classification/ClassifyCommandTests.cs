using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Host.Cli;

namespace HotlineQA.Tests.Classification;

// Redirects Console.Error, which is process-wide: in the "console" collection with the other tests that do, so they never
// run at the same time (a rubric refusal once landed in this test's captured stderr in CI).
[Collection("console")]
public class ClassifyCommandTests
{
    private const string Input = "您好,请问有什么可以帮您\n抱歉,这是公司规定,我们也没办法\n\n系统又出问题了 不是我们的错\n";

    [Fact]
    public void Run_ShouldPrintOneJsonArrayWithOneResultPerLine_WhenFormatIsJson()
    {
        var output = new StringWriter();
        Assert.Equal(CliApp.Ok, ClassifyCommand.Run(new StringReader(Input), output, "json", null));
        using var doc = JsonDocument.Parse(output.ToString());
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.Equal("抱歉,这是公司规定,我们也没办法", items[1].GetProperty("text").GetString());
        Assert.Equal(UtteranceLabels.PerfunctoryApology, items[1].GetProperty("label").GetString());
        Assert.Equal(UtteranceLabels.Neutral, items[2].GetProperty("label").GetString());
        Assert.Equal(UtteranceLabels.BlameShifting, items[3].GetProperty("label").GetString());
        Assert.All(items, i =>
        {
            Assert.Equal(["text", "label", "probability"], i.EnumerateObject().Select(p => p.Name));
            Assert.InRange(i.GetProperty("probability").GetDouble(), 0.2, 1.0);
        });
    }

    [Fact]
    public void Run_ShouldPrintLabelProbabilityAndTextPerLine_WhenFormatIsText()
    {
        var output = new StringWriter();
        ClassifyCommand.Run(new StringReader(Input), output, "text", null);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var cols = lines[0].Split('\t');
        Assert.Equal(UtteranceLabels.Neutral, cols[0]);
        Assert.Matches(@"^[01]\.\d{4}$", cols[1]);
        Assert.Equal("您好,请问有什么可以帮您", cols[2]);
    }

    [Fact]
    public async Task RunAsync_ShouldExitWithBadInput_WhenModelFileMissing()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(CliApp.BadInput, await CliApp.RunAsync(["classify", "--model", "/nonexistent/classifier.zip"]));
        }
        finally { Console.SetError(saved); }
        Assert.StartsWith("hotlineqa: /nonexistent/classifier.zip: classifier model file not found", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Fact]
    public async Task RunAsync_ShouldExitWithBadInput_WhenFeedbackLineIsBad()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hotlineqa-bad-feedback-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(file, "{\"text\":\"好的\",\"label\":\"rude\"}\n");
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(CliApp.BadInput, await CliApp.RunAsync(["classifier", "train", "--with-feedback", file, "--out", file + ".zip"]));
        }
        finally { Console.SetError(saved); File.Delete(file); }
        Assert.Contains($"{file}:1: unknown label 'rude'", error.ToString());
        Assert.False(File.Exists(file + ".zip"));
    }

    [Fact]
    public void Run_ShouldRejectLine_WhenLineIsHuge()
    {
        var e = Assert.Throws<BadInputException>(() => ClassifyCommand.Run(new StringReader("好\n" + new string('好', 30_000)), new StringWriter(), "json", null));
        Assert.Contains("stdin line 2", e.Message);
    }
}
