using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AwsVault.Internal;
using Xunit;

namespace AwsVault.Tests.Storage
{
    // Microsoft.PowerShell.SDK brings a top-level namespace Json (JsonSchema.Net), which C# finds before the
    // type imported by `using AwsVault.Internal`; the alias inside this namespace is found first.
    using Json = AwsVault.Internal.Json;

    public class JsonTests
    {
        [Fact]
        public void ReadsEveryKindOfValue()
        {
            var obj = Json.ParseObject(" {\"s\":\"x\", \"i\":-42, \"big\":9223372036854775807, \"d\":1.5e3, \"t\":true, \"f\":false, \"n\":null, \"a\":[1,\"two\",[],{}], \"o\":{\"k\":\"v\"}} ");
            Assert.Equal("x", obj["s"]);
            Assert.Equal(-42L, obj["i"]);
            Assert.Equal(long.MaxValue, obj["big"]);
            Assert.Equal(1500.0, obj["d"]);
            Assert.Equal(true, obj["t"]);
            Assert.Equal(false, obj["f"]);
            Assert.Null(obj["n"]);
            var a = Assert.IsType<List<object>>(obj["a"]);
            Assert.Equal(new object[] { 1L, "two" }, a.Take(2));
            Assert.Empty(Assert.IsType<List<object>>(a[2]));
            Assert.Empty(Assert.IsType<Dictionary<string, object>>(a[3]));
            Assert.Equal("v", ((Dictionary<string, object>)obj["o"])["k"]);
        }

        [Fact]
        public void NumbersOutsideLongBecomeDoubles()
        {
            Assert.Equal(1e19, Json.Parse("10000000000000000000"));
            Assert.Equal(-0.25, Json.Parse("-0.25"));
            Assert.Equal(0L, Json.Parse("0"));
        }

        [Fact]
        public void DecodesEscapes()
        {
            Assert.Equal("\"\\/\b\f\n\r\t", Json.Parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
            Assert.Equal("<é>", Json.Parse("\"\\u003c\\u00E9\\u003e\""));
            Assert.Equal("\U0001F511", Json.Parse("\"\\ud83d\\udd11\""));
            Assert.Equal("a\U0001F511b", Json.Parse("\"a\U0001F511b\""));
        }

        [Fact]
        public void UnpairedSurrogateEscapesBecomeReplacementCharacters()
        {
            // What Go's decoder does, so a file both tools read gives both the same string.
            Assert.Equal("\uFFFDx", Json.Parse("\"\\ud83dx\""));
            Assert.Equal("\uFFFD", Json.Parse("\"\\udd11\""));
            Assert.Equal("\uFFFD\u0041", Json.Parse("\"\\ud83d\\u0041\""));
        }

        [Fact]
        public void RepeatedNameKeepsTheLastValue()
        {
            Assert.Equal("2", Json.ParseObject("{\"a\":\"1\",\"a\":\"2\"}")["a"]);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("{\"a\":1,}")]
        [InlineData("[1,]")]
        [InlineData("{'a':1}")]
        [InlineData("{\"a\" 1}")]
        [InlineData("01")]
        [InlineData("1.")]
        [InlineData("-")]
        [InlineData("1e")]
        [InlineData("tru")]
        [InlineData("nul")]
        [InlineData("\"abc")]
        [InlineData("\"a\\x\"")]
        [InlineData("\"\\u12g4\"")]
        [InlineData("\"tab\there\"")]
        [InlineData("{} {}")]
        [InlineData("NaN")]
        [InlineData("1e999")]
        public void RejectsBadInputWithAPosition(string text)
        {
            var e = Assert.Throws<FormatException>(() => Json.Parse(text));
            Assert.StartsWith("Invalid JSON", e.Message);
        }

        [Fact]
        public void ErrorsNeverEchoTheInput()
        {
            const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            foreach (string text in new[] { "{\"SecretAccessKey\":\"" + secret + "\" x}", "{\"" + secret + "\"}", "[\"" + secret + "\\q\"]" })
            {
                var e = Assert.Throws<FormatException>(() => Json.Parse(text));
                Assert.DoesNotContain(secret, e.Message);
                Assert.DoesNotContain("SecretAccessKey", e.Message);
                Assert.Matches("position [0-9]+", e.Message);
            }
        }

        [Fact]
        public void DepthIsLimited()
        {
            Assert.NotNull(Json.Parse(new string('[', 64) + new string(']', 64)));
            Assert.Throws<FormatException>(() => Json.Parse(new string('[', 65) + new string(']', 65)));
            Assert.Throws<FormatException>(() => Json.Parse(string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 65)));
            // Deep enough to overflow the stack if the limit were missing.
            Assert.Throws<FormatException>(() => Json.Parse(new string('[', 100000)));
        }

        [Fact]
        public void InvalidUtf8IsAFormatException()
        {
            Assert.Throws<FormatException>(() => Json.Parse(new byte[] { (byte)'"', 0xC3, (byte)'"' }));
            Assert.Equal("é", Json.Parse(Encoding.UTF8.GetBytes("\"é\"")));
        }

        [Fact]
        public void MemberLookupFallsBackToCaseInsensitive()
        {
            var obj = Json.ParseObject("{\"accesskeyid\":\"lower\",\"SecretAccessKey\":\"exact\",\"SECRETACCESSKEY\":\"upper\"}");
            Assert.True(Json.TryGetMember(obj, "AccessKeyID", out object id));
            Assert.Equal("lower", id);
            Assert.True(Json.TryGetMember(obj, "SecretAccessKey", out object secret));
            Assert.Equal("exact", secret);
            Assert.False(Json.TryGetMember(obj, "SessionToken", out _));
        }

        [Fact]
        public void WriterKeepsOrderAndEscapesLikeGo()
        {
            string json = new JsonObjectWriter()
                .String("b", "<a href=\"x\">&</a>\u2028\u2029\u0001\n\t\\ é \U0001F511")
                .Bool("a", true)
                .Number("n", -7)
                .Raw("r", "[1,2]")
                .String("z", null)
                .ToString();
            Assert.Equal("{\"b\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029\\u0001\\n\\t\\\\ é \U0001F511\",\"a\":true,\"n\":-7,\"r\":[1,2],\"z\":null}", json);
            var back = Json.ParseObject(json);
            Assert.Equal("<a href=\"x\">&</a>\u2028\u2029\u0001\n\t\\ é \U0001F511", back["b"]);
        }

        [Fact]
        public void WriterReplacesLoneSurrogates()
        {
            Assert.Equal("\"a\\ufffdb\"", JsonObjectWriter.Quote("a\ud800b"));
        }

        [Fact]
        public void EmptyObject()
        {
            Assert.Equal("{}", new JsonObjectWriter().ToString());
        }
    }
}
