// SPDX-License-Identifier: GPL-2.0+
/*
 * 003-pciehp-reset: pciehp service-driver glue. Binding to a hotplug
 * capable port sets up the controller, its threaded interrupt and the
 * hotplug_slot_ops through which the PCI core reaches pciehp_reset_slot().
 */
/* expect: none */

#include "scenario.h"

static int pciehp_sysfs_disable_slot(struct hotplug_slot *hotplug_slot)
{
	struct controller *ctrl = to_ctrl(hotplug_slot);

	atomic_or(DISABLE_SLOT, &ctrl->pending_events);
	irq_wake_thread(ctrl->pcie->irq, ctrl);
	return 0;
}

static const struct hotplug_slot_ops pciehp_hotplug_slot_ops = {
	.disable_slot	= pciehp_sysfs_disable_slot,
	.reset_slot	= pciehp_reset_slot,
};

static int pciehp_probe(struct pcie_device *dev)
{
	struct controller *ctrl;
	int rc;

	ctrl = pcie_init(dev);
	if (!ctrl)
		return -ENODEV;
	ctrl->hotplug_slot.ops = &pciehp_hotplug_slot_ops;
	dev->priv_data = ctrl;

	rc = request_threaded_irq(dev->irq, pciehp_isr, pciehp_ist, IRQF_SHARED,
				  "pciehp", ctrl);
	if (rc)
		goto err_free;

	rc = pci_hp_register(&ctrl->hotplug_slot, dev->port->subordinate, 0,
			     "pciehp");
	if (rc)
		goto err_irq;
	return 0;

err_irq:
	free_irq(dev->irq, ctrl);
err_free:
	kfree(ctrl);
	return rc;
}

static void pciehp_remove(struct pcie_device *dev)
{
	struct controller *ctrl = dev->priv_data;

	pci_hp_deregister(&ctrl->hotplug_slot);
	free_irq(dev->irq, ctrl);
	kfree(ctrl);
}

static struct pcie_port_service_driver hpdriver_portdrv = {
	.name		= "pciehp",
	.probe		= pciehp_probe,
	.remove		= pciehp_remove,
};

int __init pcie_hp_init(void)
{
	return pcie_port_service_register(&hpdriver_portdrv);
}
