using HotlineQA.Common;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public class TranscriptTests
{
    [Fact]
    public void Load_ShouldReadEveryDevTranscript_WhenFilesFollowTheContract()
    {
        var files = Directory.GetFiles(TestPaths.Shared("data/transcripts-dev"), "*.transcript.json");
        Assert.True(files.Length >= 25, $"expected the 25 dev transcripts, found {files.Length}");
        foreach (var f in files)
        {
            var t = Transcript.Load(f);
            Assert.Equal(Transcript.BaseName(f), t.CallId);
            Assert.NotEmpty(t.Utterances);
            Assert.True(t.EffectiveDuration >= t.Utterances.Max(u => u.End));
        }
    }

    [Fact]
    public void Parse_ShouldDefaultCallIdToFileName_WhenCallIdMissing()
    {
        var dir = Directory.CreateTempSubdirectory();
        var path = Path.Combine(dir.FullName, "call123.transcript.json");
        File.WriteAllText(path, """{"utterances":[{"speaker":"agent","start":0.35,"end":3.1,"text":"您好"}]}""");
        var t = Transcript.Load(path);
        Assert.Equal("call123", t.CallId);
        Assert.Equal(3.1, t.EffectiveDuration);
    }

    [Theory]
    [InlineData("{", "not a valid transcript JSON")]
    [InlineData("""{"utterances":[{"speaker":"boss","start":0,"end":1,"text":"x"}]}""", "utterance 0 has speaker 'boss'")]
    [InlineData("""{"utterances":[{"speaker":"agent","start":2,"end":1,"text":"x"}]}""", "utterances[0].end (1) is before its start (2)")]
    [InlineData("""{"channels":6,"utterances":[]}""", "channels must be 1 or 2")]
    public void Parse_ShouldRejectWithReadableReason_WhenTranscriptIsBroken(string json, string reason)
    {
        var e = Assert.Throws<BadInputException>(() => Transcript.Parse(json, "x.transcript.json"));
        Assert.Contains("x.transcript.json", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
