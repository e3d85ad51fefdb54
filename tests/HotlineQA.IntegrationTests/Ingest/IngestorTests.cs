using HotlineQA.Common;
using HotlineQA.Ingest;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineQA.IntegrationTests.Ingest;

public sealed class IngestorTestsSqlite(SqliteDatabaseFixture fx) : IngestorTests(fx), IClassFixture<SqliteDatabaseFixture>;

public sealed class IngestorTestsPostgres(PostgresDatabaseFixture fx) : IngestorTests(fx), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Ingest of real recordings from ../shared/data into a real database.</summary>
public abstract class IngestorTests(DatabaseFixture fx) : IDisposable
{
    private readonly TempInbox _inbox = new();
    private readonly CallStore _calls = new(fx.Db, TimeProvider.System);
    private Ingestor Ingestor => new(_calls, NullLogger<Ingestor>.Instance);

    public void Dispose() => _inbox.Dispose();

    // Each test gets content no other test in the class has: the class shares one database and dedupe is global.
    private string UniqueRecording(string name)
    {
        var path = _inbox.Copy("data/silero-vad/test.wav", name);
        File.AppendAllText(path, Guid.NewGuid().ToString());
        return path;
    }

    [Fact]
    public async Task IngestAsync_ShouldRegisterOneCall_WhenTheSameRecordingArrivesTwiceUnderDifferentNames()
    {
        var a = UniqueRecording("first.wav");
        File.Copy(a, Path.Combine(_inbox.Dir, "sub", "again.wav").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)));

        var report = await Ingestor.IngestAsync(_inbox.Dir);
        var again = await Ingestor.IngestAsync(a);

        Assert.Equal(1, report.New);
        Assert.Equal(1, report.Duplicate);
        Assert.Equal(report.Items[0].CallId, report.Items[1].CallId);
        Assert.Equal(IngestOutcome.Duplicate, Assert.Single(again.Items).Outcome);
        var row = await _calls.GetAsync(report.Items[0].CallId!.Value);
        var (sha, size) = await Ingestor.HashAsync(a);
        Assert.Equal(sha, row!.ContentSha256);
        Assert.Equal(new FileInfo(a).Length, size);
        Assert.Equal(size, row.SizeBytes);
        Assert.Equal(CallStatus.Pending, row.Status);
    }

    [Fact]
    public async Task IngestAsync_ShouldPickUpSidecarAndMetadata_WhenTheyLieBesideTheRecording()
    {
        var wav = UniqueRecording("call42.wav");
        var sidecar = _inbox.Copy("data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json", "call42.transcript.json");
        _inbox.Write("call42.meta.json", """{ "agent": "A7", "queue": "broadband", "startedAt": "2026-11-20T09:15:00+08:00", "callKey": "CRM-42" }""");

        var item = Assert.Single((await Ingestor.IngestAsync(_inbox.Dir)).Items);

        Assert.Equal(IngestOutcome.New, item.Outcome);
        Assert.Equal(sidecar, item.SidecarPath);
        var row = await _calls.GetAsync(item.CallId!.Value);
        Assert.Equal(wav, row!.SourcePath);
        Assert.Equal(sidecar, row.SidecarPath);
        Assert.Equal("CRM-42", row.CallKey);
        Assert.Equal("A7", row.Agent);
        Assert.Equal("broadband", row.Queue);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 1, 15, 0, TimeSpan.Zero), row.StartedAt);
    }

    [Fact]
    public async Task IngestAsync_ShouldLetBatchOptionsWin_WhenMetadataAndOptionsDisagree()
    {
        UniqueRecording("m.wav");
        _inbox.Write("m.meta.json", """{ "agent": "A7", "queue": "broadband" }""");

        var item = Assert.Single((await Ingestor.IngestAsync(_inbox.Dir, new CallMetadata { Agent = "B9" })).Items);

        var row = await _calls.GetAsync(item.CallId!.Value);
        Assert.Equal("B9", row!.Agent);
        Assert.Equal("broadband", row.Queue);
        Assert.Equal("m", row.CallKey);
    }

    [Fact]
    public async Task IngestAsync_ShouldGiveTheSidecarToTheExistingCallAndRerunIt_WhenABareCopyFailedFirst()
    {
        var bare = UniqueRecording("bare.wav");
        var first = Assert.Single((await Ingestor.IngestAsync(bare)).Items);
        await _calls.MarkFailedAsync(first.CallId!.Value, "no transcript and no Whisper model at models/whisper-base; run `hotlineqa models pull whisper-base`");
        Directory.CreateDirectory(Path.Combine(_inbox.Dir, "with"));
        var copy = Path.Combine(_inbox.Dir, "with", "x.wav");
        File.Copy(bare, copy);
        var sidecar = _inbox.Copy("data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json", "with/x.transcript.json");

        var second = Assert.Single((await Ingestor.IngestAsync(copy)).Items);

        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.CallId, second.CallId);
        var row = await _calls.GetAsync(first.CallId!.Value);
        Assert.Equal(sidecar, row!.SidecarPath);
        Assert.Equal(CallStatus.Pending, row.Status); // failed for want of a transcript: it runs again now
        Assert.Null(row.Error);
    }

    [Fact]
    public async Task IngestAsync_ShouldRegisterEmptyAndNonAudioFiles_WhenTheyAreInTheInbox()
    {
        // Whether bytes are audio is the audio step's verdict: they become calls that fail with a reason there.
        _inbox.Write("empty.wav", "");
        _inbox.Write("notes.mp3", "not audio " + Guid.NewGuid());
        _inbox.Write("labels.expected.json", "{}");
        _inbox.Write(".hidden.wav", "x");

        var report = await Ingestor.IngestAsync(_inbox.Dir);

        Assert.Equal(["empty.wav", "notes.mp3"], report.Items.Select(i => Path.GetFileName(i.Path)));
        Assert.All(report.Items, i => Assert.NotEqual(IngestOutcome.Rejected, i.Outcome));
    }

    [Fact]
    public async Task IngestAsync_ShouldRejectWithAReason_WhenGivenATranscriptOrBrokenMetadata()
    {
        var t = _inbox.Copy("data/transcripts-dev/broadband-repair-perfunctory-apology.transcript.json", "t.transcript.json");
        UniqueRecording("broken.wav");
        var meta = _inbox.Write("broken.meta.json", "{ agent: ");

        var direct = Assert.Single((await Ingestor.IngestAsync(t)).Items);
        var folder = Assert.Single((await Ingestor.IngestAsync(_inbox.Dir)).Items);

        Assert.Equal(IngestOutcome.Rejected, direct.Outcome);
        Assert.Contains("this is a transcript", direct.Reason);
        Assert.Equal(IngestOutcome.Rejected, folder.Outcome);
        Assert.StartsWith($"{meta}: not valid call metadata JSON", folder.Reason);
        Assert.Null(folder.CallId);
    }

    [Fact]
    public async Task IngestAsync_ShouldThrowBadInput_WhenThePathDoesNotExist()
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => Ingestor.IngestAsync(Path.Combine(_inbox.Dir, "nope")));
        Assert.EndsWith("nope: no such file or folder", e.Message);
    }
}

internal static class FluentExtensions
{
    public static string Also(this string s, Action<string> a) { a(s); return s; }
}
