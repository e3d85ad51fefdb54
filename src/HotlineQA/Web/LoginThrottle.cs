using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Web;

/// <summary>Login posts per (client address, user name) and minute: guessing one account's password from one address
/// is slowed, while a colleague logging in to another account from the same address (or proxy) is not held up.</summary>
public sealed class LoginThrottle(IOptions<WebOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<(string Address, string Name)> _limiter =
        PartitionedRateLimiter.Create<(string Address, string Name), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.Value.LoginAttemptsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            }));

    /// <summary>True when this attempt may go ahead.</summary>
    public bool TryAcquire(string? address, string? name)
    {
        using var lease = _limiter.AttemptAcquire((address ?? "unknown", (name ?? "").Trim().ToLowerInvariant()));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
