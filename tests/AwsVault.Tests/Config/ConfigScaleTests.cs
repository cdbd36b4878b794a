using System.Text;
using AwsVault.Config;
using Xunit;

namespace AwsVault.Tests.Config
{
    public class ConfigScaleTests
    {
        // Speed is measured in bench/ with BenchmarkDotNet, not here; this proves a large file resolves right.
        [Fact]
        public void TenThousandProfilesParseAndResolve()
        {
            var sb = new StringBuilder("[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/me\n\n");
            for (int i = 0; i < 10000; i++)
            {
                sb.Append("[profile p").Append(i).Append("]\n")
                  .Append("role_arn = arn:aws:iam::123456789012:role/r").Append(i).Append('\n')
                  .Append("source_profile = base # keys\n")
                  .Append("include_profile = common\n\n");
            }
            sb.Append("[profile base]\n[profile common]\nduration_seconds = 3600\n");

            // 10,000 generated profiles + default, base and common all inherit the region; p5 adds one.
            Assert.Equal(10004, Run(sb.ToString()));
        }

        private static int Run(string text)
        {
            var file = ConfigFile.Parse(text, "/perf/config");
            var resolver = new ProfileResolver(file);
            int n = 0;
            foreach (string name in file.ProfileNames)
            {
                var p = resolver.Resolve(name);
                if (p.Region == "eu-west-1") n++;
            }
            Assert.Equal(2, resolver.ResolveSourceChain("p9999").Count);
            return n + (resolver.Resolve("p5").DurationSeconds == 3600 ? 1 : 0);
        }
    }
}
