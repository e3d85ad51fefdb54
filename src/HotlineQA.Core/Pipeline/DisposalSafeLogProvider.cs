using Hangfire.Logging;

namespace HotlineQA.Pipeline;

/// <summary>Hangfire's process-wide log provider, made safe against the disposal of the host whose logger factory it
/// wraps: a logger asked for after that yields a silent logger instead of <see cref="ObjectDisposedException"/> (see
/// <see cref="PipelineServiceCollectionExtensions.AddPipeline"/>).</summary>
internal sealed class DisposalSafeLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
