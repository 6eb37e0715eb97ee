# Parley: `make up` runs it, `make test` tests it. `make help` lists the rest.
SHELL := /bin/bash
MVN := mvn -q
.DEFAULT_GOAL := help

.PHONY: help deps build test unit up down status run stop run-status clean install crd operator-cluster-test compose-test deploy-test e2e e2e-smoke

PREFIX ?= /usr/local

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## install what builds and tests need (Java, Maven, redis-server) if missing
	@scripts/install-deps.sh

build: deps ## compile and package every module (jars in */target); nothing to do when no source changed
	@scripts/build.sh

test: deps kube-bins ## run every test: unit, and integration against real redis-server, API server and helm
	@rm -rf */target/surefire-reports */target/failsafe-reports
	@echo "Running unit and integration tests (a few minutes)..."
	@$(MVN) verify; status=$$?; scripts/test-summary.sh; exit $$status

unit: deps ## run the unit tests only
	@$(MVN) test; status=$$?; scripts/test-summary.sh; exit $$status

up: build ## deploy Parley on the cluster in KUBECONFIG (else a local one) and print the client command
	@scripts/deploy.sh up

down: ## remove what `make up` deployed (and the local cluster, if it started it)
	@scripts/deploy.sh down

status: ## show the release and the chat service `make up` deployed
	@scripts/deploy.sh status

run: build ## without Kubernetes: Redis and one chat server as processes here
	@scripts/run-local.sh up

stop: ## stop what `make run` started
	@scripts/run-local.sh down

run-status: ## show what `make run` started
	@scripts/run-local.sh status

install: build ## install the parley-chat terminal client (PREFIX=/usr/local)
	install -D -m 0644 chat-client/target/chat-client.jar $(DESTDIR)$(PREFIX)/share/parley/chat-client.jar
	install -D -m 0755 chat-client/bin/parley-chat $(DESTDIR)$(PREFIX)/bin/parley-chat

operator-cluster-test: build ## the operator on the cluster in KUBECONFIG (else the local one): example, chat, scale, faults
	@scripts/operator-cluster-test.sh

deploy-test: build ## on the cluster: make up (twice, then from no cluster), chat, helm upgrade, make down, helm install
	@scripts/deploy-test.sh

e2e-smoke: build ## end-to-end on the cluster: deploy, load, a chat pod and a Redis pod killed, report (minutes)
	@scripts/e2e.sh smoke

e2e: build ## the full end-to-end suite: scale, autoscale, pod kills, rollout, operator restart (about 10 min)
	@scripts/e2e.sh full

compose-test: build ## run compose.yaml for real (local images), chat, down and up, history kept
	@scripts/compose-test.sh

crd: ## regenerate the CRD in crds/ and the chart from the operator's API classes (commit the result)
	@$(MVN) -pl operator -am process-classes
	@cp operator/target/classes/META-INF/fabric8/chatservices.chat.parley.dev-v1.yml crds/
	@cp crds/chatservices.chat.parley.dev-v1.yml helm/chat-operator/crds/
	@echo "Updated crds/ and helm/chat-operator/crds/ (chatservices.chat.parley.dev-v1.yml)"

clean: ## remove build outputs
	@$(MVN) clean

-include e2e/cluster/cluster.mk
