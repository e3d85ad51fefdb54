using System.Globalization;
using System.Text;
using HotlineQA.Scoring.Privacy;
using HotlineQA.Storage;
using Microsoft.Extensions.Options;

namespace HotlineQA.Host.Web;

/// <summary>
/// The web host's outer layer (registered by <see cref="WebApp"/> before routing, so no page or endpoint can bypass
/// it): security headers on every answer, query-string numbers that are not finite refused with 400, and the one
/// personal-data masking policy (<see cref="PersonalDataPolicy"/>) applied to every text answer as it leaves the server.
/// </summary>
public static class SecurityMiddleware
{
    /// <summary>The query parameter with which an admin asks for the original numbers (when the site allows it).</summary>
    public const string UnmaskedParameter = "unmasked";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The Hangfire dashboard (admins only) writes inline scripts of its own.
    private const string HangfireContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseHotlineSecurity(this IApplicationBuilder app)
    {
        app.Use(SecurityHeaders);
        app.Use(RefuseNonFiniteNumbers);
        app.Use(MaskPersonalData);
        return app;
    }

    private static Task SecurityHeaders(HttpContext ctx, Func<Task> next)
    {
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            h["X-Content-Type-Options"] = "nosniff";
            h["X-Frame-Options"] = "DENY";
            h["Referrer-Policy"] = "same-origin";
            h["Content-Security-Policy"] = ctx.Request.Path.StartsWithSegments("/hangfire") ? HangfireContentSecurityPolicy : ContentSecurityPolicy;
            if (ctx.Request.IsHttps) h["Strict-Transport-Security"] = "max-age=31536000";
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>Every query value that reads as a number must be a finite one: <c>NaN</c>, <c>Infinity</c> or
    /// <c>1e309</c> would otherwise reach a page or endpoint as a double it cannot compare or clamp.</summary>
    private static async Task RefuseNonFiniteNumbers(HttpContext ctx, Func<Task> next)
    {
        foreach (var (key, values) in ctx.Request.Query)
            foreach (var v in values)
                if (v is not null && double.TryParse(v, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d) && !double.IsFinite(d))
                {
                    ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await ctx.Response.WriteAsJsonAsync(new { error = $"query parameter '{key}': '{v}' is not a finite number" });
                    return;
                }
        await next();
    }

    private static async Task MaskPersonalData(HttpContext ctx, Func<Task> next)
    {
        if (ctx.Request.Path.StartsWithSegments("/hangfire")) { await next(); return; }
        var original = ctx.Response.Body;
        await using var filter = new MaskingStream(original, ctx);
        ctx.Response.Body = filter;
        try
        {
            await next();
        }
        finally
        {
            ctx.Response.Body = original;
        }
        if (!filter.Buffering) return;
        // A UTF-8 byte-order mark (the CSV exports) decodes to U+FEFF and is written back as it was.
        var text = Encoding.UTF8.GetString(filter.Buffered.GetBuffer(), 0, (int)filter.Buffered.Length);
        if (!await ShowUnmaskedAsync(ctx)) text = PersonalDataPolicy.MaskBody(text, ctx.Response.ContentType);
        var bytes = Encoding.UTF8.GetBytes(text);
        ctx.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, ctx.RequestAborted);
    }

    /// <summary>An admin asked for the original numbers and the site allows it: the view is audited.</summary>
    private static async Task<bool> ShowUnmaskedAsync(HttpContext ctx)
    {
        if (!string.Equals(ctx.Request.Query[UnmaskedParameter], "true", StringComparison.OrdinalIgnoreCase)) return false;
        var options = ctx.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value;
        if (!options.AllowAdminUnmasked || ctx.User.Identity?.IsAuthenticated != true || !ctx.User.IsInRole(Roles.Admin)) return false;
        if (ctx.Response.StatusCode != StatusCodes.Status200OK) return false;
        await ctx.RequestServices.GetRequiredService<AuditStore>().WriteAsync(ctx.User.Identity!.Name!, "pii.unmasked", ctx.Request.Path.Value, null, CancellationToken.None);
        return true;
    }

    /// <summary>Collects a text answer in memory (to mask it whole); anything else (audio, scripts) passes straight through.</summary>
    private sealed class MaskingStream(Stream inner, HttpContext ctx) : Stream
    {
        private bool? _buffer;
        public MemoryStream Buffered { get; } = new();
        public bool Buffering => _buffer == true;

        private bool Decide() => _buffer ??= PersonalDataPolicy.AppliesTo(ctx.Response.ContentType);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Decide()) Buffered.Write(buffer, offset, count);
            else inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            if (Decide()) { Buffered.Write(buffer.Span); return ValueTask.CompletedTask; }
            return inner.WriteAsync(buffer, ct);
        }

        public override void Flush() { if (_buffer == false) inner.Flush(); }
        public override Task FlushAsync(CancellationToken ct) => _buffer == false ? inner.FlushAsync(ct) : Task.CompletedTask;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
