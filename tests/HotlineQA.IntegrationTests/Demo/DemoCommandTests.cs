using System.Diagnostics;
using System.Text.RegularExpressions;
using HotlineQA.Host.Web;
using HotlineQA.Storage;

namespace HotlineQA.IntegrationTests.Demo;

/// <summary><c>hotlineqa demo --no-serve</c> as a real process on a copy of the rendered sample calls.</summary>
[Collection(SampleCallsCollection.Name)]
public sealed partial class DemoCommandTests(SampleCallsFixture fx)
{
    [Fact]
    public async Task Demo_ShouldFinishEveryCallAndFailTheBrokenFilesWithAReason_WhenRunTwice()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-demo-" + Guid.NewGuid().ToString("N"));
        var inbox = Path.Combine(dir, "inbox");
        Directory.CreateDirectory(inbox);
        foreach (var f in Directory.EnumerateFiles(fx.Dir)) File.Copy(f, Path.Combine(inbox, Path.GetFileName(f)));
        try
        {
            var (code, output) = await RunDemoAsync(dir, inbox);
            Assert.True(code == 0, $"demo exited {code}:\n{output}");
            Assert.DoesNotContain("Rendering the sample calls", output);
            var expected = fx.Samples.Calls.Count + fx.Samples.BrokenFiles.Count;
            Assert.Contains($"{expected} new, 0 already known, 0 rejected", output);
            Assert.Matches(@"HotlineQA demo: http://127\.0\.0\.1:\d+", output);
            var password = PasswordRegex().Match(output).Groups[1].Value;
            Assert.Equal(16, password.Length);

            var db = HotlineDatabase.FromOptions(new StorageOptions { SqlitePath = Path.Combine(dir, "data", "hotlineqa.db") });
            var calls = await new CallStore(db, TimeProvider.System).ListAsync(new CallQuery { Limit = 100 });
            Assert.Equal(expected, calls.Count);
            Assert.All(calls, c => Assert.True(CallStatus.IsFinished(c.Status), $"{c.CallKey} is {c.Status}"));
            foreach (var name in fx.Samples.BrokenFiles.Select(Path.GetFileNameWithoutExtension))
            {
                var call = Assert.Single(calls, c => c.CallKey == name);
                Assert.Equal(CallStatus.Failed, call.Status);
                Assert.False(string.IsNullOrWhiteSpace(call.Error), $"{name} failed without a reason");
            }
            // Every rendered call (real audio + sidecar) goes all the way through the real engines to `scored`.
            var broken = fx.Samples.BrokenFiles.Select(Path.GetFileNameWithoutExtension).ToHashSet();
            Assert.All(calls.Where(c => !broken.Contains(c.CallKey)), c => Assert.True(c.Status == CallStatus.Scored, $"{c.CallKey} is {c.Status}: {c.Error}"));

            var accounts = new UserAccounts(new UserStore(db, TimeProvider.System));
            var demo = await accounts.VerifyAsync("demo", password);
            Assert.Equal(Roles.Admin, demo?.Role);

            // A second run re-ingests nothing and changes no call.
            var (code2, output2) = await RunDemoAsync(dir, inbox);
            Assert.True(code2 == 0, $"second demo run exited {code2}:\n{output2}");
            Assert.Contains($"0 new, {expected} already known, 0 rejected", output2);
            var again = await new CallStore(db, TimeProvider.System).ListAsync(new CallQuery { Limit = 100 });
            Assert.Equal(calls.Select(c => (c.Id, c.Status, c.Error)).Order(), again.Select(c => (c.Id, c.Status, c.Error)).Order());
            Assert.Null(await accounts.VerifyAsync("demo", password));   // each run prints a fresh password
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunDemoAsync(string workDir, string inbox)
    {
        var psi = HotlineqaCli.StartInfo(workDir, null, "demo", "--no-serve", "--inbox", inbox, "--urls", "http://127.0.0.1:0", "--timeout", "300");
        // The child must use its own SQLite file, whatever the developer's environment says.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("HOTLINEQA_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        var (code, stdout, stderr) = await HotlineqaCli.RunAsync(psi, TimeSpan.FromMinutes(6));
        return (code, stdout + stderr);
    }

    [GeneratedRegex(@"password: (\S+)")]
    private static partial Regex PasswordRegex();
}
