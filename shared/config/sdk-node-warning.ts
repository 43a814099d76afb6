/**
 * On Node.js 20 the AWS SDK prints a `NodeVersionSupportWarning` the first time a client is made: SDK
 * releases after January 2027 will need Node.js 22. The versions this project locks work on 20, so the
 * local command, the tests and the benchmark turn it off with the SDK's documented switch
 * (aws/aws-sdk-js-v3#7983); setting the variable to anything else yourself brings it back. The Lambdas
 * run on nodejs24.x, where the SDK never warns.
 */
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Sets the switch unless the environment already says something about it. */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[SWITCH] ??= 'true';
}
