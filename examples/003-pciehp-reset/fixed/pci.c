// SPDX-License-Identifier: GPL-2.0
/*
 * 003-pciehp-reset, fixed: PCI function reset in the PCI core. The device
 * lock is held across the reset. When the function can only be reset by
 * resetting its hotplug slot, the core calls the slot driver's
 * ->reset_slot(), which for pciehp takes ctrl->reset_lock for write.
 */
/* expect: none */

#include "scenario.h"

static void pci_dev_lock(struct pci_dev *dev)
	__acquires(&dev->dev.mutex)
{
	/* holds off driver bind/unbind while the function is reset */
	device_lock(&dev->dev);
}

static void pci_dev_unlock(struct pci_dev *dev)
	__releases(&dev->dev.mutex)
{
	device_unlock(&dev->dev);
}

static int pci_reset_hotplug_slot(struct hotplug_slot *hotplug, bool probe)
{
	if (!hotplug || !hotplug->ops->reset_slot)
		return -ENOTTY;
	return hotplug->ops->reset_slot(hotplug, probe);
}

static int pci_dev_reset_slot_function(struct pci_dev *dev, bool probe)
{
	if (dev->subordinate || !dev->slot)
		return -ENOTTY;
	return pci_reset_hotplug_slot(dev->slot->hotplug, probe);
}

int __pci_reset_function_locked(struct pci_dev *dev)
{
	int rc;

	might_sleep();
	device_lock_assert(&dev->dev);

	rc = pcie_reset_flr(dev, false);
	if (rc != -ENOTTY)
		return rc;
	return pci_dev_reset_slot_function(dev, false);
}
EXPORT_SYMBOL_GPL(__pci_reset_function_locked);

int pci_reset_function(struct pci_dev *dev)
{
	int rc;

	if (!dev->reset_fn)
		return -ENOTTY;

	pci_dev_lock(dev);
	pci_save_state(dev);
	rc = __pci_reset_function_locked(dev);
	pci_restore_state(dev);
	pci_dev_unlock(dev);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_reset_function);

int pci_try_reset_function(struct pci_dev *dev)
{
	int rc;

	if (!dev->reset_fn)
		return -ENOTTY;
	if (!device_trylock(&dev->dev))
		return -EAGAIN;

	pci_save_state(dev);
	rc = __pci_reset_function_locked(dev);
	pci_restore_state(dev);
	device_unlock(&dev->dev);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_try_reset_function);

static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned long val;
	int rc;

	if (kstrtoul(buf, 0, &val) < 0 || val != 1)
		return -EINVAL;

	rc = pci_reset_function(to_pci_dev(dev));
	return rc < 0 ? rc : count;
}
static DEVICE_ATTR_WO(reset);

static void pci_device_remove(struct device *dev)
{
	struct pci_dev *pci_dev = to_pci_dev(dev);
	struct pci_driver *drv = pci_dev->driver;

	if (drv && drv->remove)
		drv->remove(pci_dev);
	pci_dev->driver = NULL;
}

const struct bus_type pci_bus_type = {
	.name	= "pci",
	.remove	= pci_device_remove,
};
EXPORT_SYMBOL(pci_bus_type);
