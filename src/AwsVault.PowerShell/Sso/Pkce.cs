using System;
using System.Security.Cryptography;
using System.Text;

namespace AwsVault.Sso
{
    /// <summary>
    /// The proof key of one authorization-code sign-in (RFC 7636): a verifier of 43 base64url characters made from 32
    /// random bytes, its S256 challenge, and a random <c>state</c> the loopback redirect must bring back. The verifier
    /// goes only to CreateToken, never into a URL, a message or a file.
    /// </summary>
    internal sealed class Pkce
    {
        public const string ChallengeMethod = "S256";

        private Pkce(string verifier, string state)
        {
            Verifier = verifier;
            Challenge = ChallengeFor(verifier);
            State = state;
        }

        public string Verifier { get; }
        public string Challenge { get; }
        public string State { get; }

        public static Pkce Create() => new Pkce(RandomBase64Url(32), RandomBase64Url(16));

        public static string ChallengeFor(string verifier)
        {
            using (var sha = SHA256.Create())
            {
                return Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier)));
            }
        }

        public static string RandomBase64Url(int bytes)
        {
            var buffer = new byte[bytes];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(buffer);
            }
            return Base64Url(buffer);
        }

        public static string Base64Url(byte[] bytes) =>
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public override string ToString() => "PKCE (S256)";
    }
}
