using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Threading.Tasks;
using AwsVault.Internal;
using AwsVault.Storage.Jwe;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Storage
{
    /// <summary>
    /// The module is built twice (out/AwsVault/net472 and out/AwsVault/net8.0). PowerShell 7.4+ runs the net8.0
    /// build, which must use the platform's AES-GCM, PBKDF2 and JSON and carry none of the hand-written ones;
    /// and a vault written by either build must be read by the other.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class PlatformImplementationTests
    {
        private static string Net8Assembly => Path.Combine(ModuleAssembly.ModuleDirectory, "net8.0", "AwsVault.PowerShell.dll");

        private static string Net472Assembly => Path.Combine(ModuleAssembly.ModuleDirectory, "net472", "AwsVault.PowerShell.dll");

        private static readonly string[] HandWritten = { "AwsVault.Storage.Jwe.ManagedAesGcm", "AwsVault.Internal.JsonReader", "AwsVault.Internal.JsonStringEscaper" };

        [Fact]
        public void TheTestsRunTheNet8Build()
        {
            Assembly loaded = typeof(AesGcm256).Assembly;
            Assert.Equal(Path.GetFullPath(Net8Assembly), Path.GetFullPath(loaded.Location));
        }

        [Fact]
        public void Net8BuildUsesThePlatformAesGcm()
        {
            Assert.Equal(typeof(AesGcm), AesGcm256.Implementation);
        }

        [Fact]
        public void Net8BuildUsesThePlatformPbkdf2()
        {
            Assert.Equal(typeof(Rfc2898DeriveBytes), Pbkdf2Sha256.Implementation);
            Assert.DoesNotContain(typeof(Pbkdf2Sha256).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic), m => m.Name == "DeriveManaged");
        }

        [Fact]
        public void Net8BuildUsesSystemTextJson()
        {
            Assert.Equal(typeof(System.Text.Json.Utf8JsonReader), global::AwsVault.Internal.Json.Implementation);
            Assert.Equal(typeof(System.Text.Json.Utf8JsonWriter), JsonObjectWriter.Implementation);
        }

        [Fact]
        public void Net8AssemblyHasNoHandWrittenImplementation()
        {
            string[] names = TypeNames(Net8Assembly);
            Assert.Contains("AwsVault.Storage.Jwe.AesGcm256", names);
            foreach (string type in HandWritten) Assert.DoesNotContain(type, names);
            Assert.Contains("System.Text.Json", ReferencedAssemblies(Net8Assembly));
        }

        [Fact]
        public void Net472AssemblyKeepsItsOwnGcmAndJsonButNoPbkdf2Loop()
        {
            string[] names = TypeNames(Net472Assembly);
            foreach (string type in HandWritten) Assert.Contains(type, names);
            Assert.DoesNotContain("System.Text.Json", ReferencedAssemblies(Net472Assembly));
            Assert.Contains("mscorlib", ReferencedAssemblies(Net472Assembly));
        }

        /// <summary>Type names read from metadata, without loading the assembly (the net472 one could not be loaded next to the net8.0 one).</summary>
        private static string[] TypeNames(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
                .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToArray();
        }

        private static string[] ReferencedAssemblies(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
        }

        // AWS's documented example key: never a real one.
        private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        /// <summary>pwsh 7.2/7.3 import the net472 build; the test host (pwsh 7.6) does the same when given its path.</summary>
        private static string ImportNet472 => "$ErrorActionPreference = 'Stop'; Import-Module " + PwshHostProcess.Quote(Net472Assembly) + " -ErrorAction Stop; ";

        private static string ImportModule => "$ErrorActionPreference = 'Stop'; Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + " -ErrorAction Stop; ";

        private const string Store =
            "Add-AwsVaultProfile shared -AccessKeyId " + KeyId + " -SecretAccessKey ([System.Net.NetworkCredential]::new('', '" + Secret + "').SecurePassword) -Force; ";

        private const string Read =
            "$s = Get-AwsVaultSession shared -NoSession; $s.AccessKeyId; [System.Net.NetworkCredential]::new('', $s.SecretAccessKey).Password; " +
            "(Get-AwsVaultProfile shared).ProfileName; (Get-Command Get-AwsVaultProfile).ImplementingType.Assembly.Location";

        [Theory]
        [InlineData("net472", "net8.0")]
        [InlineData("net8.0", "net472")]
        public async Task EachBuildReadsTheOthersFileVault(string writer, string reader)
        {
            string root = Path.Combine(Path.GetTempPath(), "awsvault-tfm-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                var env = new Dictionary<string, string>
                {
                    ["HOME"] = root,
                    ["AWS_CONFIG_FILE"] = Path.Combine(root, "config"),
                    ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(root, "no-credentials"),
                    ["AWS_VAULT_FILE_DIR"] = Path.Combine(root, "vault"),
                    ["AWS_VAULT_BACKEND"] = "file",
                    ["AWS_VAULT_FILE_PASSPHRASE"] = "tfm-test-passphrase",
                    ["AWS_EC2_METADATA_DISABLED"] = "true",
                    ["CI"] = "true",
                };
                File.WriteAllText(env["AWS_CONFIG_FILE"], "[profile shared]\nregion = eu-west-1\n");

                var stored = await PwshHostProcess.RunAsync(env, "-NoProfile", "-NonInteractive", "-Command",
                    (writer == "net472" ? ImportNet472 : ImportModule) + Store + "(Get-Command Get-AwsVaultProfile).ImplementingType.Assembly.Location");
                Assert.True(stored.ExitCode == 0, stored.ToString());
                Assert.Contains(Path.Combine(writer, "AwsVault.PowerShell.dll"), stored.StdOut);
                Assert.NotEmpty(Directory.GetFiles(env["AWS_VAULT_FILE_DIR"]));

                var read = await PwshHostProcess.RunAsync(env, "-NoProfile", "-NonInteractive", "-Command",
                    (reader == "net472" ? ImportNet472 : ImportModule) + Read);
                Assert.True(read.ExitCode == 0, read.ToString());
                string[] lines = read.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.Equal(KeyId, lines[0]);
                Assert.Equal(Secret, lines[1]);
                Assert.Equal("shared", lines[2]);
                Assert.EndsWith(Path.Combine(reader, "AwsVault.PowerShell.dll"), lines[3]);
            }
            finally
            {
                try { Directory.Delete(root, true); } catch (IOException) { }
            }
        }
    }
}
