using System.Runtime.InteropServices;
using System.Text;

namespace HotlineQA.Common;

/// <summary>
/// Traditional → Simplified Chinese through OpenCC's C API (Debian <c>libopencc1.1</c>, config <c>t2s.json</c>).
/// One instance per process: the converter is thread-safe for conversion once opened.
/// </summary>
public sealed partial class ChineseConverter : IDisposable
{
    private const string Lib = "libopencc.so.1.1";
    private static readonly Lazy<ChineseConverter> Shared = new(() => new ChineseConverter("t2s.json"));
    private IntPtr _handle;

    /// <summary>The process-wide Traditional → Simplified converter.</summary>
    public static ChineseConverter TraditionalToSimplified => Shared.Value;

    public ChineseConverter(string config)
    {
        try
        {
            _handle = opencc_open(config);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("OpenCC is not installed (Debian package libopencc1.1; run scripts/setup.sh)", e);
        }
        if (_handle == new IntPtr(-1) || _handle == IntPtr.Zero)
        {
            _handle = IntPtr.Zero;
            throw new InvalidOperationException($"OpenCC could not open its configuration '{config}' (is /usr/share/opencc present?)");
        }
    }

    public string Convert(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = opencc_convert_utf8(_handle, bytes, (nuint)bytes.Length);
        if (result == IntPtr.Zero) throw new InvalidOperationException("OpenCC failed to convert the text");
        try { return Marshal.PtrToStringUTF8(result) ?? ""; }
        finally { opencc_convert_utf8_free(result); }
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero) { opencc_close(_handle); _handle = IntPtr.Zero; }
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr opencc_open(string configFileName);

    [LibraryImport(Lib)]
    private static partial IntPtr opencc_convert_utf8(IntPtr opencc, byte[] input, nuint length);

    [LibraryImport(Lib)]
    private static partial void opencc_convert_utf8_free(IntPtr str);

    [LibraryImport(Lib)]
    private static partial int opencc_close(IntPtr opencc);
}
