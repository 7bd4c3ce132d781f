// SPDX-License-Identifier: GPL-2.0
/*
 * 003-pciehp-reset: driver-core unbinding. The bus's (or the driver's)
 * remove callback runs with the device lock held; device_lock() is a
 * mutex in struct device that lockdep deliberately does not validate.
 */
/* expect: none */

#include "scenario.h"

static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	device_lock_assert(dev);
	if (!drv)
		return;

	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv->remove)
		drv->remove(dev);

	dev->driver = NULL;
	dev->driver_data = NULL;
}

void device_release_driver(struct device *dev)
{
	device_lock(dev);
	__device_release_driver(dev);
	device_unlock(dev);
}
EXPORT_SYMBOL_GPL(device_release_driver);
