using Hangfire;
using HotlineQA.Host.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineQA.IntegrationTests.Web;

/// <summary>Hangfire keeps its configuration process-wide (log provider, storage). Two hosts in one process — the tests
/// run several — must not break each other: a host that is disposed takes its logger factory with it, and the host
/// still running then failed to create its job client ("/batches" answered 500 in CI, one run in a few under load).</summary>
public class HangfireGlobalsTests
{
    private static WebApplication Host(string dir) => WebApp.Build("http://127.0.0.1:0", new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "sqlite",
        ["Storage:SqlitePath"] = Path.Combine(dir, "hotlineqa.db"),
        ["Web:DataProtectionKeysPath"] = Path.Combine(dir, "keys"),
        ["Web:AdminUser"] = "admin",
        ["Web:AdminPassword"] = "admin-pass-12345678",
        ["Pipeline:Workers"] = "0",
    });

    [Fact]
    public async Task JobClient_ShouldBeCreated_WhenAnotherHostOfTheProcessWasDisposedAfterConfiguringHangfire()
    {
        var root = Path.Combine(Path.GetTempPath(), "hotlineqa-hf-" + Guid.NewGuid().ToString("N"));
        var a = Host(Path.Combine(root, "a"));
        try
        {
            // Host A configures Hangfire first; host B configures it after A (its log provider replaces A's), then stops.
            a.Services.GetRequiredService<IGlobalConfiguration>();
            var b = Host(Path.Combine(root, "b"));
            b.Services.GetRequiredService<IGlobalConfiguration>();
            await b.DisposeAsync();

            // A's first job client is made now, while Hangfire's log provider still points at B's disposed loggers.
            var client = a.Services.GetRequiredService<IBackgroundJobClient>();
            Assert.NotNull(client);
        }
        finally
        {
            await a.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
