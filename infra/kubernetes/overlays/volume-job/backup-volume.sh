#!/bin/sh
# One backup of one PVC from a CSI VolumeSnapshot (run by the CronJob of overlays/volume-job):
# snapshot the PVC, restore the snapshot to a temporary block-mode PVC, back it up with a Job that
# mounts it at /dev/xvda (`snaptier backup --source-id <snapshot handle>`), then delete the Job,
# the PVC and the snapshot, whatever happened. Exits with the backup's result.
# Settings (environment, from volume.env): PVC VOLUME SNAPSHOT_CLASS RESTORE_STORAGE_CLASS
# SNAPTIER_REPOSITORY BACKUP_DEADLINE_SECONDS; POD_NAME and POD_NAMESPACE from the downward API.
set -eu

TEMPLATES=$(dirname "$0")
NAME="snaptier-${VOLUME}-$(date -u +%Y%m%d%H%M%S)"
NS=$POD_NAMESPACE

log() { printf '%s backup-volume %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$NAME" "$*" >&2; }

cleanup() {
  kubectl -n "$NS" delete job "$NAME" --ignore-not-found --wait=false --cascade=foreground || true
  kubectl -n "$NS" delete pvc "$NAME" --ignore-not-found --wait=false || true
  kubectl -n "$NS" delete volumesnapshot "$NAME" --ignore-not-found --wait=false || true
}
trap cleanup EXIT

# Fills a template's placeholders; values never contain '|'.
render() {
  sed -e "s|@NAME@|$NAME|g" -e "s|@NAMESPACE@|$NS|g" -e "s|@PVC@|$PVC|g" -e "s|@VOLUME@|$VOLUME|g" \
    -e "s|@SNAPSHOT_CLASS@|$SNAPSHOT_CLASS|g" -e "s|@STORAGE_CLASS@|${STORAGE_CLASS:-}|g" \
    -e "s|@SIZE@|${SIZE:-}|g" -e "s|@HANDLE@|${HANDLE:-}|g" -e "s|@IMAGE@|${IMAGE:-}|g" \
    -e "s|@REPOSITORY@|$SNAPTIER_REPOSITORY|g" -e "s|@DEADLINE@|$BACKUP_DEADLINE_SECONDS|g" \
    "$TEMPLATES/$1"
}

# The snaptier image is the one this pod's init container ran (kustomize sets it in one place).
IMAGE=$(kubectl -n "$NS" get pod "$POD_NAME" -o jsonpath='{.spec.initContainers[0].image}')
STORAGE_CLASS=${RESTORE_STORAGE_CLASS:-$(kubectl -n "$NS" get pvc "$PVC" -o jsonpath='{.spec.storageClassName}')}

log "snapshot of pvc $PVC"
render volumesnapshot.yaml | kubectl -n "$NS" create -f -
kubectl -n "$NS" wait volumesnapshot "$NAME" --for=jsonpath='{.status.readyToUse}'=true --timeout=30m
CONTENT=$(kubectl -n "$NS" get volumesnapshot "$NAME" -o jsonpath='{.status.boundVolumeSnapshotContentName}')
HANDLE=$(kubectl get volumesnapshotcontent "$CONTENT" -o jsonpath='{.status.snapshotHandle}')
SIZE=$(kubectl -n "$NS" get volumesnapshot "$NAME" -o jsonpath='{.status.restoreSize}')
# A Filesystem PVC's snapshot may be restored as a Block PVC only with this annotation on its
# content (external-snapshotter's volume mode conversion protection).
kubectl annotate volumesnapshotcontent "$CONTENT" snapshot.storage.kubernetes.io/allow-volume-mode-change=true --overwrite

log "snapshot $HANDLE ($SIZE): restoring to a block pvc, backing up as volume $VOLUME"
render pvc.yaml | kubectl -n "$NS" create -f -
render job.yaml | kubectl -n "$NS" create -f -

# The Job ends Complete or Failed (backoffLimit 0, activeDeadlineSeconds).
while :; do
  done_=$(kubectl -n "$NS" get job "$NAME" -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
  case $done_ in
    *Complete*) result=0; break ;;
    *Failed*) result=1; break ;;
  esac
  sleep 15
done

# The backup's --json report (and any error) into this pod's log.
kubectl -n "$NS" logs "job/$NAME" --all-containers=true || true
log "backup $( [ "$result" = 0 ] && echo succeeded || echo failed )"
exit "$result"
