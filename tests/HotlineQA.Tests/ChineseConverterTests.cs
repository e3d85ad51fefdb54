using HotlineQA.Common;

namespace HotlineQA.Tests;

public class ChineseConverterTests
{
    [Theory]
    [InlineData("尾號是多少", "尾号是多少")]
    [InlineData("這個帳單", "这个帐单")]
    [InlineData("您好,请问有什么可以帮您?", "您好,请问有什么可以帮您?")]
    [InlineData("", "")]
    public void Convert_ShouldGiveSimplified_WhenTextIsTraditional(string input, string expected)
    {
        Assert.Equal(expected, ChineseConverter.TraditionalToSimplified.Convert(input));
    }
}
