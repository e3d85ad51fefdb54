using System.Diagnostics;

namespace HotlineQA.Tests.Cli;

/// <summary>The real executable: what reaches stdout and stderr, and the exit code.</summary>
public class CliOutputTests
{
    internal static Task<(int Code, string Out, string Err)> RunAsync(string workDir, params string[] args) =>
        HotlineqaCli.RunAsync(workDir, null, TimeSpan.FromSeconds(120), args);

    [Fact]
    public async Task Score_ShouldTakeAnArgumentStartingWithAtAsAFileName_WhenItIsOne()
    {
        var dir = Directory.CreateTempSubdirectory("hotlineqa-at-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "@call7.transcript.json"),
                """{"utterances":[{"speaker":"agent","start":0,"end":2,"text":"您好，很高兴为您服务。"}]}""");
            var r = await RunAsync(dir.FullName, "score", "@call7.transcript.json", "--format", "json");
            Assert.True(r.Code == 0, r.Err);
            using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
            Assert.Equal("@call7", doc.RootElement.GetProperty("callId").GetString());
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public async Task Score_ShouldExit1NamingTheField_WhenATimeIsOutOfRange()
    {
        var dir = Directory.CreateTempSubdirectory("hotlineqa-inf-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "inf.transcript.json"),
                """{"utterances":[{"speaker":"agent","start":0,"end":1e309,"text":"您好"}]}""");
            var r = await RunAsync(dir.FullName, "score", "inf.transcript.json");
            Assert.Equal(1, r.Code);
            Assert.Equal("", r.Out);
            Assert.Equal($"hotlineqa: {Path.Combine(dir.FullName, "inf.transcript.json")}: utterances[0].end is not a finite number (Infinity)", r.Err.Trim());
        }
        finally { dir.Delete(recursive: true); }
    }
}
