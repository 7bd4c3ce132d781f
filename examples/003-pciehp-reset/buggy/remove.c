// SPDX-License-Identifier: GPL-2.0
/*
 * 003-pciehp-reset: removing PCI devices. Stopping a device unbinds its
 * driver through the driver core (dd.c), which takes the device lock;
 * bridges are stopped and removed depth-first.
 */
/* expect: none */

#include "scenario.h"

static void pci_stop_dev(struct pci_dev *dev)
{
	if (!dev->is_added)
		return;
	device_release_driver(&dev->dev);
	dev->is_added = 0;
}

static void pci_stop_bus_device(struct pci_dev *dev)
{
	struct pci_bus *bus = dev->subordinate;
	struct pci_dev *child, *tmp;

	if (bus) {
		list_for_each_entry_safe_reverse(child, tmp, &bus->devices,
						 bus_list)
			pci_stop_bus_device(child);
	}
	pci_stop_dev(dev);
}

static void pci_remove_bus_device(struct pci_dev *dev)
{
	struct pci_bus *bus = dev->subordinate;
	struct pci_dev *child, *tmp;

	if (bus) {
		list_for_each_entry_safe(child, tmp, &bus->devices, bus_list)
			pci_remove_bus_device(child);
	}
	list_del(&dev->bus_list);
	device_del(&dev->dev);
	put_device(&dev->dev);
}

void pci_stop_and_remove_bus_device(struct pci_dev *dev)
{
	pci_stop_bus_device(dev);
	pci_remove_bus_device(dev);
}
EXPORT_SYMBOL(pci_stop_and_remove_bus_device);
