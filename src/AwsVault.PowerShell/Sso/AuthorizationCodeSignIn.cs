using System;
using System.Collections.Generic;

namespace AwsVault.Sso
{
    /// <summary>
    /// The browser sign-in, as the AWS CLI v2 does it since 2.22: a loopback listener on 127.0.0.1, the OIDC
    /// /authorize page opened with a PKCE S256 challenge and a random state, the code the browser brings back
    /// exchanged by CreateToken (authorization_code) with the verifier. Nothing is typed.
    /// </summary>
    internal static class AuthorizationCodeSignIn
    {
        /// <summary>The token, or null when the browser could not be started (the caller uses the device code).</summary>
        public static SsoTokenResult Run(ISsoOidcClient oidc, IBrowser browser, SsoSignInRequest request, SsoClientRegistration registration)
        {
            using (LoopbackRedirect loopback = LoopbackRedirect.Start())
            {
                Pkce pkce = Pkce.Create();
                string url = AuthorizeUrl(request.Endpoint, registration.ClientId, loopback.RedirectUri, pkce, request.Scopes);
                SsoSignIn.Verbose(request, "Opening the browser at " + request.Endpoint.Describe("oidc") + "/authorize; waiting on " + loopback.RedirectUri + ".");
                if (!browser.Open(url))
                {
                    SsoSignIn.Verbose(request, "The browser could not be started; signing in with a device code instead.");
                    return null;
                }
                // The authorize URL holds no secret (client id, challenge, a one-time state), and the user may need it.
                SsoSignIn.Host(request, "A browser window opened to sign in to " + request.StartUrl + ". If it did not, open: " + url);
                string code = loopback.WaitForCode(pkce.State, request.BrowserTimeout, request.Cancellation);
                try
                {
                    return oidc.CreateToken(request.Endpoint, registration, SsoTokenGrant.ForAuthorizationCode(code, pkce.Verifier, loopback.RedirectUri));
                }
                catch (SsoCallException e)
                {
                    throw SsoSignIn.CallFailed("token request", request.Endpoint, e);
                }
            }
        }

        /// <summary>botocore's AuthCodeFetcher parameters: response_type, client_id, redirect_uri, state,
        /// code_challenge_method, scopes, code_challenge.</summary>
        internal static string AuthorizeUrl(SsoEndpoint endpoint, string clientId, string redirectUri, Pkce pkce, IReadOnlyList<string> scopes)
        {
            string url = endpoint.Describe("oidc").TrimEnd('/') + "/authorize?response_type=code" +
                         "&client_id=" + Uri.EscapeDataString(clientId) +
                         "&redirect_uri=" + Uri.EscapeDataString(redirectUri) +
                         "&state=" + Uri.EscapeDataString(pkce.State) +
                         "&code_challenge_method=" + Pkce.ChallengeMethod;
            if (scopes != null && scopes.Count > 0)
            {
                url += "&scopes=" + Uri.EscapeDataString(string.Join(" ", scopes));
            }
            return url + "&code_challenge=" + Uri.EscapeDataString(pkce.Challenge);
        }
    }
}
