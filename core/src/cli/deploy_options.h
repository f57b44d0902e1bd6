/* The deploy flags knative func persists in func.yaml before it deploys:
 * -e/--env (run.envs), --domain (domain), --service-account
 * (deploy.serviceAccountName), --image-pull-secret (deploy.imagePullSecret);
 * and func's rules for an --image pinned by digest (nothing to build or
 * push). Deployer plugins read the values from func.yaml. */
#ifndef FUNCP_CLI_DEPLOY_OPTIONS_H
#define FUNCP_CLI_DEPLOY_OPTIONS_H

struct funcp_call;

/* Check and record the flags above; FUNCP_EUSAGE naming the flag when a
 * value is malformed (a domain that is not a DNS-1123 subdomain, say). */
int fp_deploy_options_apply(struct funcp_call *call);

/* 1 when --image names a digest (repo@sha256:...): deploy it as is. An
 * explicit --build=true or --push=true with it is a usage error with
 * func's words (-1). */
int fp_deploy_image_pinned(struct funcp_call *call);

#endif
