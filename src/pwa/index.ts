export { FullscreenButton } from './FullscreenButton';
export { LowStorageWarning } from './LowStorageWarning';
export { OfflineIndicator } from './OfflineIndicator';
export { PwaLayer } from './PwaLayer';
export { StorageStatus } from './StorageStatus';
export { UpdatePrompt } from './UpdatePrompt';
export { useWakeLock } from './useWakeLock';
